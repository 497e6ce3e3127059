import { createHmac, randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import jwt from 'jsonwebtoken';
import { register as metricsRegistry } from 'prom-client';
import type { Response } from 'supertest';
import { MAIL_QUEUE } from '../../src/mail/mail-message';
import { TEST_JWT_SECRET } from '../support/config';
import { waitForIdleQueue } from '../support/delivery';
import { bearer, createUser, FIXTURE_PASSWORD, forgeToken, type UserRow } from '../support/factories';
import { newIp } from '../support/http';
import { type CaughtMail, SmtpCatcher } from '../support/smtp-catcher';
import { useTestApp } from '../support/test-app-context';

/**
 * identity-platform §2.1 endpoints 1–4 with the HEAD changes of §10 and decision D1: registration
 * answers a message (no tokens), the account is verified with a 6-digit code or the e-mailed link,
 * and login is refused until then. E-mails go through the real delivery queue to a local SMTP server.
 */

const FRONTEND_URL = 'https://app.emecano-e2e.fr';
const DOMAIN = 'emecano-test.fr';
const PASSWORD = 'SecurePass123';
const SENT = { message: 'Verification email sent. Check your inbox.' };
const SUBJECT = 'Votre code de verification eMecano';
const POLICY_MESSAGE = 'Le mot de passe doit contenir au moins une majuscule, une minuscule et un chiffre';
const CGU_MESSAGE = 'Vous devez accepter les CGU pour créer un compte';
const ROLE_MESSAGE = 'role must be one of the following values: buyer, mechanic';
const INVALID_CODE = 'Invalid or expired verification code';
const INVALID_LINK = 'Invalid or expired verification token';
const LINK_USED = 'This verification token has already been used';
const NEITHER = "Either 'token' or both 'code' and 'email' are required";
const LOCKED = 'Too many attempts. Please request a new verification code.';
const UNVERIFIED = 'Email verification required. Please verify your email before logging in.';
const DEACTIVATED = 'Account has been deactivated. Contact support for more information.';
const BAD_CREDENTIALS = 'Invalid email or password';
const RESET_SENT = { message: 'If an account exists with this email, a password reset link has been sent' };
const DAY_MS = 24 * 3_600_000;

interface MailJobRow {
  state: string;
  retry_count: number;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
  delay_s: number;
}

/** Every address this file uses, for the final M-011 sweep of the logs. */
const usedAddresses = new Set<string>();

/** `<tag>-<random>@emecano-test.fr`; the tag's first letter is the masked form's only visible character. */
function newEmail(tag: string): string {
  const email = `${tag}-${randomUUID().slice(0, 12)}@${DOMAIN}`;
  usedAddresses.add(email);
  return email;
}

const domainError = (detail: string, code: string) => ({ detail, code, request_id: expect.any(String) });

function codeOf(mail: CaughtMail): string {
  const inText = /code de vérification eMecano : (\d{6})\n/.exec(mail.text)?.[1];
  const inHtml = /letter-spacing: 8px;">(\d{6})<\/p>/.exec(mail.html)?.[1];
  expect(inText).toMatch(/^\d{6}$/);
  expect(inHtml).toBe(inText);
  return inText!;
}

function linkOf(mail: CaughtMail): string {
  const href = /<a href="([^"]+)">/.exec(mail.html)?.[1];
  if (!href) throw new Error(`No link in ${mail.html}`);
  return href.replace(/&amp;/g, '&');
}

function linkTokenOf(mail: CaughtMail): string {
  const token = new URL(linkOf(mail)).searchParams.get('token');
  if (!token) throw new Error('The verification link has no token');
  return token;
}

const hmac = (code: string) => createHmac('sha256', TEST_JWT_SECRET).update(code).digest('hex');

/** A 6-digit code that is certainly not `code`. */
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function registeredCount(role: string): Promise<number> {
  const metric = metricsRegistry.getSingleMetric('emecano_users_registered_total');
  if (!metric) throw new Error('emecano_users_registered_total is not registered');
  const { values } = await metric.get();
  return values.find((value) => value.labels.role === role)?.value ?? 0;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('auth: registration, e-mail verification and login gates (identity §2.1-1..4, §10, D1)', () => {
  const smtp = new SmtpCatcher();
  beforeAll(() => smtp.start());
  const ctx = useTestApp({ env: () => ({ SMTP_URL: smtp.url, TRUSTED_PROXY_COUNT: '1', FRONTEND_URL }) });
  afterAll(() => smtp.stop());

  const post = (path: string, body: object, ip = newIp()) =>
    ctx.testApp.http.post(path).set('X-Forwarded-For', ip).send(body);

  const registerBody = (email: string, overrides: Record<string, unknown> = {}) => ({
    email,
    password: PASSWORD,
    role: 'buyer',
    cgu_accepted: true,
    ...overrides,
  });

  async function register(email: string, overrides: Record<string, unknown> = {}): Promise<Response> {
    const response = await post('/auth/register', registerBody(email, overrides));
    expect({ status: response.status, body: response.body }).toEqual({ status: 201, body: SENT });
    return response;
  }

  const usersWithEmail = (email: string): Promise<UserRow[]> =>
    ctx.testApp.dataSource.query('SELECT * FROM users WHERE email = $1', [email]);

  async function userWithEmail(email: string): Promise<UserRow> {
    const rows = await usersWithEmail(email);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  /** Waits until `count` e-mails to `address` arrived, and returns them in arrival order. */
  async function mailsTo(address: string, count: number, timeoutMs = 10_000): Promise<CaughtMail[]> {
    return until(
      `${count} e-mail(s) to ${address}`,
      async () => {
        const mails = smtp.to(address);
        return mails.length >= count ? mails : undefined;
      },
      timeoutMs,
    );
  }

  /** Mail jobs ever enqueued for `address` (pg-boss keeps completed jobs for hours). */
  async function mailJobs(address: string): Promise<MailJobRow[]> {
    return ctx.testApp.dataSource.query(
      `SELECT state, retry_count, retry_limit, retry_delay, retry_backoff,
              EXTRACT(EPOCH FROM (start_after - now()))::float AS delay_s
         FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = $1 ORDER BY created_on`,
      [address],
    );
  }

  /**
   * Proof that nothing more is on its way: the queue delivers in order with one worker, so once a
   * later e-mail to a fresh address arrived, every earlier one has been handled.
   */
  async function laterMailDelivered(): Promise<void> {
    const sentinel = await createUser(ctx.testApp.dataSource, {
      email: newEmail('sentinel'),
      isVerified: false,
    });
    expect((await post('/auth/resend-verification', { email: sentinel.email })).status).toBe(200);
    await smtp.waitFor(sentinel.email);
  }

  async function registerAndReadCode(
    email: string,
    overrides: Record<string, unknown> = {},
  ): Promise<{ code: string; mail: CaughtMail }> {
    await register(email, overrides);
    const mail = await smtp.waitFor(email);
    return { code: codeOf(mail), mail };
  }

  const verifyCode = (email: string, code: string, ip = newIp()) =>
    post('/auth/verify-email', { email, code }, ip);

  const login = (email: string, password: string, ip = newIp()) =>
    post('/auth/login', { email, password }, ip);

  describe('POST /auth/register: the D1 answer, the stored account and the verification e-mail', () => {
    const email = newEmail('auth01');
    let response: Response;
    let registeredAt: number;

    beforeAll(async () => {
      registeredAt = Date.now();
      response = await post(
        '/auth/register',
        registerBody(email, { password: 'SecurePass123', phone: '+33600000010' }),
      );
    });

    it('AUTH-01 D1: a new buyer gets 201 with exactly the message, no tokens, and Cache-Control: no-store', () => {
      expect(response.status).toBe(201);
      expect(response.body).toEqual(SENT);
      expect(response.text).not.toMatch(/access_token|refresh_token|eyJ/);
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('AUTH-01 N27: the row is an unverified buyer with a $2b$12$ hash and the HMAC (not the code) of a 24 h code', async () => {
      const user = await userWithEmail(email);
      expect(user).toMatchObject({
        role: 'buyer',
        is_verified: false,
        is_active: true,
        phone: '+33600000010',
        first_name: null,
        last_name: null,
        verification_code_attempts: 0,
      });
      expect(user.password_hash).toMatch(/^\$2b\$12\$/);
      expect(user.password_hash).toHaveLength(60);
      expect(await bcrypt.compare('SecurePass123', user.password_hash)).toBe(true);
      expect(user.verification_code).toMatch(/^[0-9a-f]{64}$/);
      const expiresAt = new Date(user.verification_code_expires_at!).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(registeredAt + DAY_MS - 5_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + DAY_MS + 5_000);

      const code = codeOf(await smtp.waitFor(email));
      expect(user.verification_code).not.toBe(code);
      expect(user.verification_code).toBe(hmac(code));
    });

    it('AUTH-01: one e-mail with the subject, the 6-digit code in text and HTML, and the FRONTEND_URL/verify link', async () => {
      const mail = await smtp.waitFor(email);
      expect(mail.subject).toBe(SUBJECT);
      const code = codeOf(mail);
      expect(mail.html).toContain(code);
      expect(mail.text).toContain(code);
      const link = linkOf(mail);
      expect(link.startsWith(`${FRONTEND_URL}/verify?token=`)).toBe(true);
      expect(mail.text).toContain(link);
      expect(await mailJobs(email)).toHaveLength(1);
      expect(smtp.to(email)).toHaveLength(1);
    });

    it('AUTH-01 §3: the link token is an email_verify JWT for the address with every common claim and a 24 h life', async () => {
      const token = linkTokenOf(await smtp.waitFor(email));
      const claims = jwt.verify(token, TEST_JWT_SECRET) as Record<string, unknown>;
      expect(claims).toMatchObject({
        sub: email,
        type: 'email_verify',
        iss: 'emecano',
        jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        exp: expect.any(Number),
      });
      expect(Math.abs((claims.exp as number) * 1000 - (registeredAt + DAY_MS))).toBeLessThan(10_000);
      // identity §3 "Common claims": sub, exp, iat (integer seconds), iss, type, jti.
      expect(claims.iat).toEqual(expect.any(Number));
      expect((claims.exp as number) - (claims.iat as number)).toBe(86_400);
    });
  });

  describe('POST /auth/register: anti-enumeration and schema (AUTH-03, AUTH-04, AUTH-08)', () => {
    it('AUTH-03 N2 §7.9: a taken address gets the identical 201 body, nothing is created or sent, the old password still logs in', async () => {
      const existing = await createUser(ctx.testApp.dataSource, { email: newEmail('auth03') });
      const [before] = await usersWithEmail(existing.email);

      const response = await post(
        '/auth/register',
        registerBody(existing.email, { password: 'OtherPass456' }),
      );
      expect(response.status).toBe(201);
      expect(response.body).toEqual(SENT);
      expect(response.headers['cache-control']).toBe('no-store');

      const rows = await usersWithEmail(existing.email);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id: before.id,
        password_hash: before.password_hash,
        is_verified: true,
        verification_code: null,
      });
      expect(await mailJobs(existing.email)).toEqual([]);
      await laterMailDelivered();
      expect(smtp.to(existing.email)).toEqual([]);

      const oldPassword = await login(existing.email, FIXTURE_PASSWORD);
      expect(oldPassword.status).toBe(200);
      expect(oldPassword.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'bearer',
      });
      const newPassword = await login(existing.email, 'OtherPass456');
      expect(newPassword.status).toBe(401);
      expect(newPassword.body).toEqual(domainError(BAD_CREDENTIALS, 'invalid_credentials'));
    });

    it('AUTH-03: re-registering a pending address keeps its first code and sends no second e-mail', async () => {
      const email = newEmail('auth03p');
      const { code } = await registerAndReadCode(email);
      const [first] = await usersWithEmail(email);

      await register(email, { password: 'OtherPass456', role: 'mechanic' });
      const rows = await usersWithEmail(email);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id: first.id,
        role: 'buyer',
        password_hash: first.password_hash,
        verification_code: hmac(code),
      });
      expect(await mailJobs(email)).toHaveLength(1);
      await laterMailDelivered();
      expect(smtp.to(email)).toHaveLength(1);
    });

    const schemaCases: [string, Record<string, unknown>, object][] = [
      [
        '(a) password "short"',
        { password: 'short' },
        {
          type: 'string_too_short',
          loc: ['body', 'password'],
          msg: 'password must be longer than or equal to 8 characters',
          input: 'short',
        },
      ],
      [
        '(b) password without an upper-case letter',
        { password: 'password123' },
        {
          type: 'string_pattern_mismatch',
          loc: ['body', 'password'],
          msg: POLICY_MESSAGE,
          input: 'password123',
        },
      ],
      [
        '(b) password without a digit',
        { password: 'PasswordOnly' },
        {
          type: 'string_pattern_mismatch',
          loc: ['body', 'password'],
          msg: POLICY_MESSAGE,
          input: 'PasswordOnly',
        },
      ],
      [
        '(c) email "not-an-email"',
        { email: 'not-an-email' },
        {
          type: 'value_error',
          loc: ['body', 'email'],
          msg: 'value is not a valid email address',
          input: 'not-an-email',
        },
      ],
      [
        '(d) role "invalid_role"',
        { role: 'invalid_role' },
        { type: 'enum', loc: ['body', 'role'], msg: ROLE_MESSAGE, input: 'invalid_role' },
      ],
      [
        '(e) role "admin" (never 201)',
        { role: 'admin' },
        { type: 'enum', loc: ['body', 'role'], msg: ROLE_MESSAGE, input: 'admin' },
      ],
      [
        '(f) cgu_accepted false',
        { cgu_accepted: false },
        { type: 'value_error', loc: ['body', 'cgu_accepted'], msg: CGU_MESSAGE, input: false },
      ],
      [
        '(f) cgu_accepted missing',
        { cgu_accepted: undefined },
        { type: 'value_error', loc: ['body', 'cgu_accepted'], msg: CGU_MESSAGE, input: null },
      ],
      [
        '(g) phone "abc"',
        { phone: 'abc' },
        {
          type: 'string_pattern_mismatch',
          loc: ['body', 'phone'],
          msg: 'Le numéro de téléphone doit contenir 10 à 15 chiffres',
          input: 'abc',
        },
      ],
    ];

    it.each(schemaCases)(
      'AUTH-04 %s → 422 listing exactly that field, no users row',
      async (_case, overrides, issue) => {
        const email = newEmail('auth04');
        const body = registerBody(email, overrides);
        const response = await post('/auth/register', body);
        expect(response.status).toBe(422);
        expect(response.body).toEqual({ detail: [issue], request_id: expect.any(String) });
        expect(await usersWithEmail(String(body.email))).toEqual([]);
      },
    );

    it.each(['a@b.local', 'a@x.test', 'a@localhost'])(
      'AUTH-04: the reserved-domain address %s → 422 at body.email, no users row',
      async (email) => {
        const response = await post('/auth/register', registerBody(email));
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([
          {
            type: 'value_error',
            loc: ['body', 'email'],
            msg: 'value is not a valid email address',
            input: email,
          },
        ]);
        expect(await usersWithEmail(email)).toEqual([]);
      },
    );

    it('AUTH-04: the display-name form is reduced to the address, domain lower-cased and local part kept', async () => {
      const stored = 'Jean.Dupont@example.fr';
      usedAddresses.add(stored);
      await register('Jean <Jean.Dupont@Example.FR>');
      const user = await userWithEmail(stored);
      expect(user.email).toBe(stored);
      const mail = await smtp.waitFor(stored);
      expect(mail.subject).toBe(SUBJECT);

      // The same address typed differently (spaces, domain case) is the same account.
      await register('  Jean.Dupont@EXAMPLE.FR  ');
      expect(
        await ctx.testApp.dataSource.query("SELECT email FROM users WHERE lower(email) LIKE 'jean.dupont@%'"),
      ).toEqual([{ email: stored }]);
    });

    it('AUTH-04 HEAD names: blank becomes null, "Al" → 422 "Le prénom…", accented and hyphenated names are kept', async () => {
      const blank = newEmail('names');
      await register(blank, { first_name: '  ', last_name: '   ' });
      expect(await userWithEmail(blank)).toMatchObject({ first_name: null, last_name: null });

      const tooShort = newEmail('names');
      const refused = await post('/auth/register', registerBody(tooShort, { first_name: 'Al' }));
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toEqual([
        {
          type: 'string_too_short',
          loc: ['body', 'first_name'],
          msg: 'Le prénom doit contenir au moins 3 caractères',
          input: 'Al',
        },
      ]);
      expect(await usersWithEmail(tooShort)).toEqual([]);

      const digits = newEmail('names');
      const badLast = await post('/auth/register', registerBody(digits, { last_name: 'Dupont2' }));
      expect(badLast.status).toBe(422);
      expect(badLast.body.detail).toEqual([
        {
          type: 'string_pattern_mismatch',
          loc: ['body', 'last_name'],
          msg: 'Le nom ne peut contenir que des lettres, espaces, tirets et apostrophes',
          input: 'Dupont2',
        },
      ]);

      const accented = newEmail('names');
      await register(accented, { first_name: "  Jean-Éloïse D'Arc ", last_name: 'Lefèvre-Müller' });
      expect(await userWithEmail(accented)).toMatchObject({
        first_name: "Jean-Éloïse D'Arc",
        last_name: 'Lefèvre-Müller',
      });
    });

    it('AUTH-08: the phone given at registration is stored and shown by GET /auth/me once verified', async () => {
      const email = newEmail('auth08');
      const { code } = await registerAndReadCode(email, { phone: '+33600000888' });
      expect(await userWithEmail(email)).toMatchObject({ phone: '+33600000888', is_verified: false });

      const verified = await verifyCode(email, code);
      expect(verified.status).toBe(200);
      const tokens = await login(email, PASSWORD);
      expect(tokens.status).toBe(200);
      const me = await ctx.testApp.http
        .get('/auth/me')
        .set('X-Forwarded-For', newIp())
        .set(bearer(tokens.body.access_token));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, role: 'buyer', phone: '+33600000888', is_verified: true });
    });
  });

  describe('M-010 / M-030: concurrent registrations and the registration counter', () => {
    it('M-010: 20 parallel registrations of one address (5 races) → twenty identical 201s, one row and one e-mail each', async () => {
      const buyersBefore = await registeredCount('buyer');
      const addresses: string[] = [];
      for (let race = 0; race < 5; race++) {
        const email = newEmail('m010');
        addresses.push(email);
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            post('/auth/register', registerBody(email, { password: `RacePass${i}A` })),
          ),
        );
        expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
        for (const response of responses) expect(response.body).toEqual(SENT);
        expect(await usersWithEmail(email)).toHaveLength(1);
        expect(await mailJobs(email)).toHaveLength(1);
      }
      expect((await registeredCount('buyer')) - buyersBefore).toBe(5);
      for (const email of addresses) await smtp.waitFor(email);
      await laterMailDelivered();
      for (const email of addresses) expect(smtp.to(email)).toHaveLength(1);
    }, 90_000);

    it('M-030: emecano_users_registered_total rises by 1 per created account under its role, 0 for duplicates', async () => {
      const buyers = await registeredCount('buyer');
      const mechanics = await registeredCount('mechanic');

      const buyer = newEmail('m030');
      await register(buyer);
      expect(await registeredCount('buyer')).toBe(buyers + 1);
      expect(await registeredCount('mechanic')).toBe(mechanics);

      await register(buyer);
      await register(buyer, { role: 'mechanic' });
      expect(await registeredCount('buyer')).toBe(buyers + 1);
      expect(await registeredCount('mechanic')).toBe(mechanics);

      const mechanic = newEmail('m030');
      await register(mechanic, { role: 'mechanic' });
      expect(await userWithEmail(mechanic)).toMatchObject({ role: 'mechanic', is_verified: false });
      expect(await registeredCount('mechanic')).toBe(mechanics + 1);
      expect(await registeredCount('buyer')).toBe(buyers + 1);

      const refused = await post('/auth/register', registerBody(newEmail('m030'), { role: 'admin' }));
      expect(refused.status).toBe(422);
      expect(await registeredCount('admin')).toBe(0);
    });
  });

  describe('POST /auth/verify-email with the 6-digit code (HEAD, N26)', () => {
    it('HEAD: the right code → 200 verified, code cleared; again → 200 already_verified; login then succeeds', async () => {
      const email = newEmail('code');
      const { code } = await registerAndReadCode(email);
      const refusedLogin = await login(email, PASSWORD);
      expect(refusedLogin.status).toBe(403);

      const first = await verifyCode(email, code);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ status: 'verified' });
      expect(await userWithEmail(email)).toMatchObject({
        is_verified: true,
        verification_code: null,
        verification_code_expires_at: null,
        verification_code_attempts: 0,
      });

      const again = await verifyCode(email, code);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'already_verified' });

      const tokens = await login(email, PASSWORD);
      expect(tokens.status).toBe(200);
      expect(tokens.body.token_type).toBe('bearer');
    });

    it('HEAD: an unknown address → 400 "Invalid or expired verification code"', async () => {
      const response = await verifyCode(newEmail('nobody'), '123456');
      expect(response.status).toBe(400);
      expect(response.body).toEqual(domainError(INVALID_CODE, 'invalid_verification'));
    });

    it.each([
      ['an empty body', {}],
      ['a code without the address', { code: '123456' }],
      ['an address without the code', { email: `alone@${DOMAIN}` }],
    ])("HEAD: %s → 400 \"Either 'token' or both 'code' and 'email' are required\"", async (_case, body) => {
      const response = await post('/auth/verify-email', body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(domainError(NEITHER, 'invalid_verification'));
    });

    it.each([['12345'], ['1234567'], ['12a456'], [' 123456'], [123456]])(
      'HEAD: the code %p (not 6 digits) → 422 at body.code',
      async (code) => {
        const response = await post('/auth/verify-email', { email: `someone@${DOMAIN}`, code });
        expect(response.status).toBe(422);
        expect(response.body.detail).toEqual([
          {
            type: 'string_pattern_mismatch',
            loc: ['body', 'code'],
            msg: 'The code must be 6 digits',
            input: code,
          },
        ]);
      },
    );

    it('N26: five wrong codes each answer 400 and each attempt is committed; the 6th, even right, → 429; a resent code works', async () => {
      const email = newEmail('n26');
      const { code } = await registerAndReadCode(email);
      const wrong = otherCode(code);
      for (let attempt = 1; attempt <= 5; attempt++) {
        const response = await verifyCode(email, wrong);
        expect(response.status).toBe(400);
        expect(response.body).toEqual(domainError(INVALID_CODE, 'invalid_verification'));
        expect((await userWithEmail(email)).verification_code_attempts).toBe(attempt);
      }

      const locked = await verifyCode(email, code);
      expect(locked.status).toBe(429);
      expect(locked.body).toEqual(domainError(LOCKED, 'verification_locked'));
      expect(await userWithEmail(email)).toMatchObject({ is_verified: false, verification_code_attempts: 5 });

      const resent = await post('/auth/resend-verification', { email });
      expect(resent.status).toBe(200);
      expect(resent.body).toEqual({ status: 'sent' });
      const [, second] = await mailsTo(email, 2);
      const newCode = codeOf(second);
      expect(await userWithEmail(email)).toMatchObject({
        verification_code: hmac(newCode),
        verification_code_attempts: 0,
      });
      if (newCode !== code) {
        const oldCode = await verifyCode(email, code);
        expect(oldCode.status).toBe(400);
        expect((await userWithEmail(email)).verification_code_attempts).toBe(1);
      }

      const verified = await verifyCode(email, newCode);
      expect(verified.status).toBe(200);
      expect(verified.body).toEqual({ status: 'verified' });
      expect(await userWithEmail(email)).toMatchObject({ is_verified: true, verification_code_attempts: 0 });
    });

    it('N26: ten concurrent wrong codes cannot take more than 5 attempts (five 400, five 429)', async () => {
      const email = newEmail('n26c');
      const { code } = await registerAndReadCode(email);
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => verifyCode(email, otherCode(code))),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(5).fill(400), ...Array(5).fill(429)]);
      expect(await userWithEmail(email)).toMatchObject({ is_verified: false, verification_code_attempts: 5 });
    });

    it('N26: an expired code is refused with 400 and the attempt is counted', async () => {
      const email = newEmail('expired');
      const { code } = await registerAndReadCode(email);
      await ctx.testApp.dataSource.query(
        "UPDATE users SET verification_code_expires_at = now() - interval '1 second' WHERE email = $1",
        [email],
      );
      const response = await verifyCode(email, code);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(domainError(INVALID_CODE, 'invalid_verification'));
      expect(await userWithEmail(email)).toMatchObject({ is_verified: false, verification_code_attempts: 1 });
    });
  });

  describe('POST /auth/verify-email with the e-mailed link (identity §2.1-2, §3)', () => {
    it('§2.1-2: the link verifies once and its jti is blacklisted until exp; the same link again → 400 already used', async () => {
      const email = newEmail('link');
      const { mail } = await registerAndReadCode(email);
      const token = linkTokenOf(mail);
      const claims = jwt.decode(token) as { jti: string; exp: number };

      const first = await post('/auth/verify-email', { token });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ status: 'verified' });
      expect(await userWithEmail(email)).toMatchObject({
        is_verified: true,
        verification_code: null,
        verification_code_attempts: 0,
      });
      const blacklisted: { expires_at: Date }[] = await ctx.testApp.dataSource.query(
        'SELECT expires_at FROM blacklisted_tokens WHERE jti = $1',
        [claims.jti],
      );
      expect(blacklisted).toHaveLength(1);
      expect(new Date(blacklisted[0].expires_at).getTime()).toBe(claims.exp * 1000);

      const again = await post('/auth/verify-email', { token });
      expect(again.status).toBe(400);
      expect(again.body).toEqual(domainError(LINK_USED, 'invalid_verification'));
    });

    it('§2.1-2: an unused link for an account verified by code → 200 already_verified', async () => {
      const email = newEmail('linkcode');
      const { code, mail } = await registerAndReadCode(email);
      expect((await verifyCode(email, code)).status).toBe(200);
      const response = await post('/auth/verify-email', { token: linkTokenOf(mail) });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'already_verified' });
    });

    it('§2.1-2: a valid email_verify token for an address with no account → 404 "User not found"', async () => {
      const token = forgeToken({ sub: newEmail('ghost'), type: 'email_verify' });
      const response = await post('/auth/verify-email', { token });
      expect(response.status).toBe(404);
      expect(response.body).toEqual(domainError('User not found', 'not_found'));
    });

    it.each<[string, (email: string) => string]>([
      ['an access token', (email) => forgeToken({ sub: email, type: 'access' })],
      [
        'an expired email_verify token',
        (email) => forgeToken({ sub: email, type: 'email_verify', exp: 1_000 }),
      ],
      [
        'a token signed with another key',
        (email) => forgeToken({ sub: email, type: 'email_verify' }, 'x'.repeat(48)),
      ],
      ['a token without iss', (email) => forgeToken({ sub: email, type: 'email_verify', iss: undefined })],
      ['garbage', () => 'not-a-jwt'],
    ])(
      '§2.1-2: %s as verification token → 400 "Invalid or expired verification token"',
      async (_case, make) => {
        const { email } = await createUser(ctx.testApp.dataSource, {
          email: newEmail('badlink'),
          isVerified: false,
        });
        const response = await post('/auth/verify-email', { token: make(email) });
        expect(response.status).toBe(400);
        expect(response.body).toEqual(domainError(INVALID_LINK, 'invalid_verification'));
        expect((await userWithEmail(email)).is_verified).toBe(false);
      },
    );
  });

  describe('POST /auth/login refusals (HEAD §10)', () => {
    it('HEAD: an unverified account with the right password → 403 "Email verification required…", no tokens', async () => {
      const email = newEmail('unverified');
      await register(email);
      const response = await login(email, PASSWORD);
      expect(response.status).toBe(403);
      expect(response.body).toEqual(domainError(UNVERIFIED, 'email_not_verified'));
      expect(response.headers['cache-control']).toBe('no-store');

      const wrong = await login(email, 'WrongPass999');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual(domainError(BAD_CREDENTIALS, 'invalid_credentials'));
    });

    it('HEAD: a deactivated account with the right password → 403 "Account has been deactivated…"', async () => {
      const user = await createUser(ctx.testApp.dataSource, { email: newEmail('inactive'), isActive: false });
      const response = await login(user.email, user.password);
      expect(response.status).toBe(403);
      expect(response.body).toEqual(domainError(DEACTIVATED, 'account_deactivated'));
    });
  });

  describe('POST /auth/resend-verification (identity §2.1-3, §7.9, AUTH-29)', () => {
    it('§7.9: always 200 {"status":"sent"}; only the unverified address gets a new e-mail with a new code', async () => {
      const unknown = newEmail('resend');
      const verified = await createUser(ctx.testApp.dataSource, { email: newEmail('resend') });
      const pending = newEmail('resend');
      const { code } = await registerAndReadCode(pending);

      for (const email of [unknown, verified.email, pending]) {
        const response = await post('/auth/resend-verification', { email });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ status: 'sent' });
      }
      const [, second] = await mailsTo(pending, 2);
      expect(second.subject).toBe(SUBJECT);
      const newCode = codeOf(second);
      expect((await userWithEmail(pending)).verification_code).toBe(hmac(newCode));
      expect(await usersWithEmail(unknown)).toEqual([]);

      await laterMailDelivered();
      expect(smtp.to(unknown)).toEqual([]);
      expect(smtp.to(verified.email)).toEqual([]);
      expect(smtp.to(pending)).toHaveLength(2);
      if (newCode !== code) expect((await verifyCode(pending, code)).status).toBe(400);
    });

    it('AUTH-29 M-011: verify and resend log email_verified / verification_email_resent with user_id, never the address', async () => {
      const email = newEmail('zz29');
      const local = email.split('@')[0];
      const { mail } = await registerAndReadCode(email);
      const { id } = await userWithEmail(email);

      expect((await post('/auth/resend-verification', { email })).status).toBe(200);
      const [, second] = await mailsTo(email, 2);
      expect((await post('/auth/verify-email', { token: linkTokenOf(second) })).status).toBe(200);

      const records = await until('the email_sent log lines', async () => {
        const found = ctx.testApp.logs.records();
        return found.filter((r) => r.event === 'email_sent' && r.to === `z***@${DOMAIN}`).length >= 2
          ? found
          : undefined;
      });
      expect(records.filter((r) => r.event === 'verification_email_resent')).toContainEqual(
        expect.objectContaining({ user_id: id }),
      );
      expect(records.filter((r) => r.event === 'email_verified')).toContainEqual(
        expect.objectContaining({ user_id: id }),
      );
      expect(records.filter((r) => r.event === 'user_registered')).toContainEqual(
        expect.objectContaining({ user_id: id, role: 'buyer' }),
      );
      const text = ctx.testApp.logs.text;
      expect(text).not.toContain(email);
      expect(text).not.toContain(local);
      for (const secret of [codeOf(mail), codeOf(second), linkTokenOf(mail), linkTokenOf(second)])
        expect(text).not.toContain(secret);
    });
  });

  describe('AUTH-27: password hashing', () => {
    it('AUTH-27: two accounts with the same password get different $2b$12$ hashes, both verifying', async () => {
      const [first, second] = [newEmail('auth27'), newEmail('auth27')];
      await Promise.all([register(first), register(second)]);
      const [a, b] = [await userWithEmail(first), await userWithEmail(second)];
      expect(a.password_hash).not.toBe(b.password_hash);
      for (const hash of [a.password_hash, b.password_hash]) {
        expect(hash).toMatch(/^\$2b\$12\$[./A-Za-z0-9]{53}$/);
        expect(await bcrypt.compare(PASSWORD, hash)).toBe(true);
      }
    });

    it('AUTH-27 HEAD: an empty password → 422; a wrong one or an unknown address → 401, never 500', async () => {
      const user = await createUser(ctx.testApp.dataSource, { email: newEmail('auth27') });
      const empty = await login(user.email, '');
      expect(empty.status).toBe(422);
      expect(empty.body.detail).toEqual([
        { type: 'missing', loc: ['body', 'password'], msg: expect.any(String), input: '' },
      ]);

      const wrong = await login(user.email, 'WrongPass999');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual(domainError(BAD_CREDENTIALS, 'invalid_credentials'));

      const unknown = await login(newEmail('auth27'), FIXTURE_PASSWORD);
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual(domainError(BAD_CREDENTIALS, 'invalid_credentials'));
    });

    it('AUTH-27: a hash made by the standard bcrypt library (the fixture) verifies at login', async () => {
      const user = await createUser(ctx.testApp.dataSource, { email: newEmail('auth27') });
      expect((await userWithEmail(user.email)).password_hash).toMatch(/^\$2b\$12\$/);
      const response = await login(user.email, FIXTURE_PASSWORD);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'bearer',
      });
    });
  });

  describe('AUTH-28 (D1): a failing mail provider is never fatal, and the e-mail is durable', () => {
    /**
     * Pending mail jobs would take the refusals meant for the test's own e-mails; and a delivered
     * e-mail's job is recorded as done only after the SMTP server has answered.
     */
    const mailQueueIdle = () => waitForIdleQueue(ctx.testApp.dataSource, MAIL_QUEUE);

    /** Skips the backoff wait of `address`'s job in retry (the delay itself is asserted first). */
    const fastForward = (address: string) =>
      ctx.testApp.dataSource.query(
        "UPDATE pgboss.job SET start_after = now() WHERE name = 'mail.send' AND state = 'retry' AND data->>'to' = $1",
        [address],
      );

    it('AUTH-28 D1: with SMTP refusing twice, register still answers 201 at once; retries (5 s doubling) deliver the e-mail', async () => {
      await mailQueueIdle();
      const email = newEmail('auth28');
      smtp.refuseNext(2);
      await register(email);
      // Answered before the e-mail could be delivered: the delivery happens only after two retries.
      expect(smtp.to(email)).toEqual([]);

      // Failure k leaves the job in `retry` with retry_count k-1, due in 5·2^(k-1) to 5·2^k seconds.
      for (const [retryCount, minDelay, maxDelay] of [
        [0, 5, 10],
        [1, 10, 20],
      ]) {
        const job = await until(`failure ${retryCount + 1} of the e-mail`, async () => {
          const [row] = await mailJobs(email);
          return row?.state === 'retry' && row.retry_count === retryCount ? row : undefined;
        });
        expect(job).toMatchObject({ retry_limit: 12, retry_delay: 5, retry_backoff: true });
        expect(job.delay_s).toBeGreaterThan(minDelay - 2);
        expect(job.delay_s).toBeLessThanOrEqual(maxDelay);
        expect(smtp.to(email)).toEqual([]);
        await fastForward(email);
      }

      const mail = await smtp.waitFor(email);
      expect(mail.subject).toBe(SUBJECT);
      expect(smtp.to(email)).toHaveLength(1);
      await mailQueueIdle();
      expect(await mailJobs(email)).toMatchObject([{ state: 'completed', retry_count: 2 }]);
      const verified = await verifyCode(email, codeOf(mail));
      expect(verified.body).toEqual({ status: 'verified' });
    }, 30_000);

    it('AUTH-28: forgot-password and resend-verification answer 200 while SMTP refuses; both e-mails arrive later', async () => {
      const verified = await createUser(ctx.testApp.dataSource, { email: newEmail('auth28') });
      const pending = newEmail('auth28');
      await registerAndReadCode(pending);
      await mailQueueIdle();
      smtp.refuseNext(2);

      const forgot = await post('/auth/forgot-password', { email: verified.email });
      expect(forgot.status).toBe(200);
      expect(forgot.body).toEqual(RESET_SENT);
      const resent = await post('/auth/resend-verification', { email: pending });
      expect(resent.status).toBe(200);
      expect(resent.body).toEqual({ status: 'sent' });

      await until('both e-mails after retries', async () => {
        await fastForward(verified.email);
        await fastForward(pending);
        return smtp.to(verified.email).length === 1 && smtp.to(pending).length === 2 ? true : undefined;
      });
      expect(smtp.to(verified.email)[0].subject).toBe('Reinitialisation de votre mot de passe - eMecano');
      expect(smtp.to(verified.email)[0].html).toContain(`${FRONTEND_URL}/reset-password?token=`);
      await mailQueueIdle();
      const jobs = [...(await mailJobs(verified.email)), ...(await mailJobs(pending)).slice(1)];
      expect(jobs.map((job) => job.state)).toEqual(['completed', 'completed']);
      expect(jobs.reduce((sum, job) => sum + job.retry_count, 0)).toBe(2);
    }, 30_000);
  });

  describe('M-011: after every test above', () => {
    it('M-011: no address used by this file appears in full in any log line, only masked', () => {
      const text = ctx.testApp.logs.text;
      const leaked = [...usedAddresses].filter((address) => text.includes(address));
      expect(leaked).toEqual([]);
      expect(text).toContain(`"to":"a***@${DOMAIN}"`);
    });
  });
});
