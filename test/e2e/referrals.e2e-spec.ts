import { randomUUID } from 'node:crypto';
import { bearer, createUser, forgeToken, type UserFixture } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic, type MechanicFixture } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const CODE_FORMAT = /^EMECANO-[A-Z0-9]{6}$/;
const SENT = { message: 'Verification email sent. Check your inbox.' };

describe('referrals (messaging-reports §2.4, §3.4)', () => {
  const ctx = useTestApp();
  let mechanic: MechanicFixture;

  beforeEach(async () => {
    mechanic = await createMechanic(ctx.testApp.dataSource);
  });

  const as = (user: UserFixture) => ({ ...bearer(forgeToken({ sub: user.id })), 'X-Forwarded-For': newIp() });
  const generate = (user: UserFixture) => ctx.testApp.http.post('/referrals/generate').set(as(user));
  const myCode = (user: UserFixture) => ctx.testApp.http.get('/referrals/my-code').set(as(user));
  const validate = (code: string) =>
    ctx.testApp.http.get(`/referrals/validate/${encodeURIComponent(code)}`).set('X-Forwarded-For', newIp());
  const register = (role: 'buyer' | 'mechanic', referralCode: string, email = newEmail()) =>
    ctx.testApp.http.post('/auth/register').set('X-Forwarded-For', newIp()).send({
      email,
      password: 'SecurePass123',
      role,
      referral_code: referralCode,
      cgu_accepted: true,
    });

  function newEmail(): string {
    return `referral-${randomUUID().slice(0, 12)}@emecano-test.fr`;
  }

  async function seedCode(owner: MechanicFixture, code: string, usesCount = 0): Promise<void> {
    await ctx.testApp.dataSource.query(
      'INSERT INTO referral_codes (code, mechanic_id, uses_count) VALUES ($1, $2, $3)',
      [code, owner.profileId, usesCount],
    );
  }

  async function codeRows(owner: MechanicFixture) {
    return ctx.testApp.dataSource.query<{ code: string; uses_count: number }[]>(
      'SELECT code, uses_count FROM referral_codes WHERE mechanic_id = $1',
      [owner.profileId],
    );
  }

  async function profileOf(email: string) {
    return ctx.testApp.dataSource.query<{ referred_by: string | null }[]>(
      'SELECT p.referred_by FROM mechanic_profiles p JOIN users u ON u.id = p.user_id WHERE u.email = $1',
      [email],
    );
  }

  it('REF-01: POST /referrals/generate → 201 with a new EMECANO-XXXXXX code, unused', async () => {
    const response = await generate(mechanic);

    expect({ status: response.status, body: response.body }).toEqual({
      status: 201,
      body: {
        code: expect.stringMatching(CODE_FORMAT),
        uses_count: 0,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
  });

  it('REF-02: generating again → 201 with the same code, still one row', async () => {
    const first = await generate(mechanic);

    const second = await generate(mechanic);

    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await codeRows(mechanic)).toEqual([{ code: first.body.code, uses_count: 0 }]);
  });

  it('[RACE] concurrent first generations for one mechanic → every call 201 with the one code, never a 500 (×20)', async () => {
    for (let round = 0; round < 20; round++) {
      const owner = await createMechanic(ctx.testApp.dataSource);

      const responses = await Promise.all([generate(owner), generate(owner), generate(owner)]);

      expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
      const [row] = await codeRows(owner);
      expect(responses.map((r) => r.body.code)).toEqual([row.code, row.code, row.code]);
      expect(await codeRows(owner)).toHaveLength(1);
    }
  });

  it('REF-03: GET /referrals/my-code → the seeded code and its uses; 404 for a mechanic without one', async () => {
    await seedCode(mechanic, 'EMECANO-TEST01', 3);
    const withoutCode = await createMechanic(ctx.testApp.dataSource);

    const response = await myCode(mechanic);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ code: 'EMECANO-TEST01', uses_count: 3, created_at: expect.any(String) });
    expectDomainError(
      await myCode(withoutCode),
      404,
      'No referral code found. Generate one first.',
      'referral_code_not_found',
    );
  });

  it('REF-04: GET /referrals/validate/{code} is public and matches exactly; 1..30 characters', async () => {
    await seedCode(mechanic, 'EMECANO-VALID1');

    for (const [code, valid] of [
      ['EMECANO-VALID1', true],
      ['EMECANO-NOPE00', false],
      ['emecano-valid1', false],
      ['x'.repeat(30), false],
    ] as const) {
      const response = await validate(code);
      expect({ code, status: response.status, body: response.body }).toEqual({
        code,
        status: 200,
        body: { valid },
      });
    }
    expect((await validate('x'.repeat(31))).status).toBe(422);
  });

  it('REF-05: only active mechanics generate [SEC]: a buyer → 403, a deactivated mechanic → 403', async () => {
    const buyer = await createUser(ctx.testApp.dataSource);
    const inactive = await createMechanic(ctx.testApp.dataSource, { isActive: false });

    expectDomainError(await generate(buyer), 403, 'Only mechanics can access this resource', 'access_denied');
    expectDomainError(await generate(inactive), 403, 'Account has been deactivated', 'account_deactivated');
    expectDomainError(await myCode(buyer), 403, 'Only mechanics can access this resource', 'access_denied');
    expect(await codeRows(inactive)).toEqual([]);
  });

  it('REF-06: registering a mechanic with a known code → 201, uses_count + 1, referred_by set', async () => {
    await seedCode(mechanic, 'EMECANO-REF001');
    const email = newEmail();

    const response = await register('mechanic', 'EMECANO-REF001', email);

    expect({ status: response.status, body: response.body }).toEqual({ status: 201, body: SENT });
    expect(await codeRows(mechanic)).toEqual([{ code: 'EMECANO-REF001', uses_count: 1 }]);
    expect(await profileOf(email)).toEqual([{ referred_by: 'EMECANO-REF001' }]);
  });

  it('REF-06 [RACE]: concurrent registrations with one code count every use', async () => {
    await seedCode(mechanic, 'EMECANO-REF002');

    const responses = await Promise.all(
      Array.from({ length: 4 }, () => register('mechanic', 'EMECANO-REF002')),
    );

    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
    expect(await codeRows(mechanic)).toEqual([{ code: 'EMECANO-REF002', uses_count: 4 }]);
  });

  it('REF-07: registering a mechanic with an unknown code → 400 "Invalid referral code", nothing persisted', async () => {
    const email = newEmail();

    const response = await register('mechanic', 'EMECANO-NOPE00', email);

    expectDomainError(response, 400, 'Invalid referral code', 'invalid_referral_code');
    expect(await ctx.testApp.dataSource.query('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
  });

  it('a buyer’s referral code is ignored, and a taken address answers 201 before the code is checked', async () => {
    await seedCode(mechanic, 'EMECANO-BUYER1');
    const buyerEmail = newEmail();
    const taken = await createUser(ctx.testApp.dataSource, { role: 'mechanic' });

    const buyer = await register('buyer', 'EMECANO-BUYER1', buyerEmail);
    const unknownForBuyer = await register('buyer', 'EMECANO-NOPE00');
    const takenAddress = await register('mechanic', 'EMECANO-NOPE00', taken.email);

    expect([buyer, unknownForBuyer, takenAddress].map((r) => [r.status, r.body])).toEqual([
      [201, SENT],
      [201, SENT],
      [201, SENT],
    ]);
    expect(await codeRows(mechanic)).toEqual([{ code: 'EMECANO-BUYER1', uses_count: 0 }]);
    expect(
      await ctx.testApp.dataSource.query('SELECT role FROM users WHERE email = $1', [buyerEmail]),
    ).toEqual([{ role: 'buyer' }]);
  });
});
