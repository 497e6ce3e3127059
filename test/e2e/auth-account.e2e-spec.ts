import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import jwt from 'jsonwebtoken';
import { startTestApp, type TestApp } from '../support/app';
import { FixedClock } from '../support/clock';
import { productionTestConfig } from '../support/config';
import { bearer, createUser, FIXTURE_PASSWORD, forgeToken, type UserRow } from '../support/factories';
import { claimsOf, expectDomainError, newIp, type TokenPair } from '../support/http';
import { type CaughtMail, SmtpCatcher } from '../support/smtp-catcher';
import { useTestApp } from '../support/test-app-context';

const FRONTEND_URL = 'http://localhost:8081';
const RESET_LINK_SENT = 'If an account exists with this email, a password reset link has been sent';
const RESET_SUBJECT = 'Reinitialisation de votre mot de passe - eMecano';
const VERIFICATION_SUBJECT = 'Votre code de verification eMecano';
const PUSH_TOKEN_MESSAGE = 'Token must be a valid Expo push token (ExponentPushToken[...])';
const LAST_ADMIN = 'Cannot delete the last admin account. Promote another user to admin first.';
const NEW_PASSWORD = 'NewSecure123';
/** Well-formed but one character over the 100-character limit. */
const TOKEN_OF_101_CHARACTERS = `ExponentPushToken[${'a'.repeat(82)}]`;

type Method = 'get' | 'post' | 'patch' | 'delete';

const uniqueEmail = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}@emecano-test.fr`;

/** The JWT of the reset link, read from the text part (the HTML part escapes the link). */
function resetTokenFrom(mail: CaughtMail): string {
  const match = /\/reset-password\?token=(\S+)/.exec(mail.text);
  if (!match) throw new Error(`No reset link in ${JSON.stringify(mail.text)}`);
  return decodeURIComponent(match[1]);
}

describe('Auth: account endpoints (identity §2.1-7…15)', () => {
  const clock = new FixedClock(new Date());
  const smtp = new SmtpCatcher();
  beforeAll(() => smtp.start());
  const ctx = useTestApp({ clock, env: () => ({ SMTP_URL: smtp.url, TRUSTED_PROXY_COUNT: '1' }) });
  afterAll(() => smtp.stop());
  let ip: string;

  beforeEach(() => {
    ip = newIp();
  });

  function call(method: Method, path: string, token?: string, from: string = ip, app: TestApp = ctx.testApp) {
    const request = app.http[method](path).set('X-Forwarded-For', from);
    return token ? request.set(bearer(token)) : request;
  }

  async function login(
    email: string,
    password: string = FIXTURE_PASSWORD,
    from: string = ip,
    app: TestApp = ctx.testApp,
  ): Promise<TokenPair> {
    const response = await call('post', '/auth/login', undefined, from, app).send({ email, password });
    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'bearer' },
    });
    return response.body as TokenPair;
  }

  async function userRow(id: string): Promise<UserRow> {
    const rows: UserRow[] = await ctx.testApp.dataSource.query(
      `SELECT id, email, password_hash, role, first_name, last_name, phone, is_verified, is_active, expo_push_token,
              password_changed_at, verification_code, photo_url, created_at
         FROM users WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async function isBlacklisted(jti: string): Promise<boolean> {
    const rows: unknown[] = await ctx.testApp.dataSource.query(
      'SELECT 1 FROM blacklisted_tokens WHERE jti = $1',
      [jti],
    );
    return rows.length > 0;
  }

  /** Recipients of the e-mail jobs queued for these addresses (pg-boss keeps delivered jobs for hours). */
  async function mailJobsTo(addresses: string[]): Promise<string[]> {
    const rows: { to: string }[] = await ctx.testApp.dataSource.query(
      `SELECT data->>'to' AS "to" FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = ANY($1) ORDER BY 1`,
      [addresses],
    );
    return rows.map((row) => row.to);
  }

  describe('forgot-password and reset-password (§2.1-11, §2.1-12)', () => {
    it('AUTH-15: answers an existing and an unknown address identically and mails only the existing one', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const unknown = uniqueEmail('nobody');

      const forUnknown = await call('post', '/auth/forgot-password').send({ email: unknown });
      const forUser = await call('post', '/auth/forgot-password').send({ email: user.email });

      expect({ status: forUnknown.status, body: forUnknown.body }).toEqual({
        status: 200,
        body: { message: RESET_LINK_SENT },
      });
      expect({ status: forUser.status, body: forUser.body }).toEqual({
        status: 200,
        body: { message: RESET_LINK_SENT },
      });
      const mail = await smtp.waitFor(user.email);
      expect(mail.subject).toBe(RESET_SUBJECT);
      expect(mail.html).toContain(`${FRONTEND_URL}/reset-password?token=`);
      const token = resetTokenFrom(mail);
      expect(mail.html).toContain(`${FRONTEND_URL}/reset-password?token=${token}`);
      // A 1 h token for this user.
      expect(claimsOf(token)).toMatchObject({
        sub: user.id,
        type: 'password_reset',
        iss: 'emecano',
        exp: Math.floor(clock.now().getTime() / 1000) + 3_600,
      });
      expect(smtp.to(user.email)).toHaveLength(1);
      expect(smtp.to(unknown)).toEqual([]);
      expect(await mailJobsTo([user.email, unknown])).toEqual([user.email]);
    });

    it('§3: the mailed reset token carries every common claim: sub, exp, iat, iss, type and a uuid jti', async () => {
      const user = await createUser(ctx.testApp.dataSource);

      expect((await call('post', '/auth/forgot-password').send({ email: user.email })).status).toBe(200);
      const token = resetTokenFrom(await smtp.waitFor(user.email));

      const nowSeconds = Math.floor(clock.now().getTime() / 1000);
      expect(jwt.decode(token)).toMatchObject({
        sub: user.id,
        type: 'password_reset',
        iss: 'emecano',
        jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        iat: nowSeconds,
        exp: nowSeconds + 3_600,
      });
    });

    it('AUTH-16: the mailed token resets the password, is consumed, and kills the earlier sessions', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const before = await login(user.email);
      clock.advance(1_000);

      expect((await call('post', '/auth/forgot-password').send({ email: user.email })).status).toBe(200);
      const token = resetTokenFrom(await smtp.waitFor(user.email));
      const reset = await call('post', '/auth/reset-password').send({ token, new_password: NEW_PASSWORD });

      expect({ status: reset.status, body: reset.body }).toEqual({
        status: 200,
        body: { message: 'Password reset successfully' },
      });
      const after = await login(user.email, NEW_PASSWORD);
      expectDomainError(
        await call('post', '/auth/login').send({ email: user.email, password: FIXTURE_PASSWORD }),
        401,
        'Invalid email or password',
        'invalid_credentials',
      );
      expect((await userRow(user.id)).password_changed_at).toEqual(clock.now());
      const { jti, exp } = claimsOf(token);
      const blacklisted: { expires_at: Date }[] = await ctx.testApp.dataSource.query(
        'SELECT expires_at FROM blacklisted_tokens WHERE jti = $1',
        [jti],
      );
      expect(blacklisted).toEqual([{ expires_at: new Date(exp * 1000) }]);
      expectDomainError(
        await call('get', '/auth/me', before.access_token),
        401,
        'Token invalidated by password change',
        'password_changed',
      );
      expectDomainError(
        await call('post', '/auth/refresh').send({ refresh_token: before.refresh_token }),
        401,
        'Refresh token invalidated by password change',
        'password_changed',
      );
      expect((await call('get', '/auth/me', after.access_token)).status).toBe(200);
    });

    describe('AUTH-17: rejected reset tokens', () => {
      const now = () => Math.floor(clock.now().getTime() / 1000);
      const cases: [string, (user: { id: string; email: string }) => Promise<string> | string, string][] = [
        ['(a) a token that is not a JWT', () => 'invalid_token', 'Invalid or expired reset token'],
        [
          '(b) an expired reset token',
          (user) => forgeToken({ sub: user.id, type: 'password_reset', iat: now() - 7_200, exp: now() - 1 }),
          'Invalid or expired reset token',
        ],
        [
          '(c) an access token',
          async (user) => (await login(user.email)).access_token,
          'Invalid or expired reset token',
        ],
        [
          '(e) a reset token without jti',
          (user) => forgeToken({ sub: user.id, type: 'password_reset', jti: undefined }),
          'Invalid token',
        ],
      ];

      it.each(cases)('AUTH-17 %s → 400 and nothing changes', async (_, tokenFor, detail) => {
        const user = await createUser(ctx.testApp.dataSource);
        const hashBefore = (await userRow(user.id)).password_hash;
        const token = await tokenFor(user);

        const response = await call('post', '/auth/reset-password').send({
          token,
          new_password: NEW_PASSWORD,
        });

        expectDomainError(response, 400, detail, 'invalid_reset_token');
        expect(await userRow(user.id)).toMatchObject({
          password_hash: hashBefore,
          password_changed_at: null,
        });
        const jti = (jwt.decode(token) as { jti?: string } | null)?.jti;
        if (jti) expect(await isBlacklisted(jti)).toBe(false);
      });

      it('AUTH-17 (d): the same valid token a second time → 400 "This token has already been used"', async () => {
        const user = await createUser(ctx.testApp.dataSource);
        const token = forgeToken({ sub: user.id, type: 'password_reset' });

        const first = await call('post', '/auth/reset-password').send({ token, new_password: NEW_PASSWORD });
        const second = await call('post', '/auth/reset-password').send({ token, new_password: 'Another123' });

        expect(first.status).toBe(200);
        expectDomainError(second, 400, 'This token has already been used', 'token_already_used');
        expect(await bcrypt.compare(NEW_PASSWORD, (await userRow(user.id)).password_hash)).toBe(true);
      });

      it('AUTH-17: a reset token for a user that does not exist → 404 "User not found", its jti not consumed', async () => {
        const token = forgeToken({ sub: randomUUID(), type: 'password_reset' });

        const first = await call('post', '/auth/reset-password').send({ token, new_password: NEW_PASSWORD });

        expectDomainError(first, 404, 'User not found', 'not_found');
        expect(await isBlacklisted(claimsOf(token).jti)).toBe(false);
        // Rolled back: the token is still unused, so a retry is answered the same way, not "already used".
        const again = await call('post', '/auth/reset-password').send({ token, new_password: NEW_PASSWORD });
        expectDomainError(again, 404, 'User not found', 'not_found');
      });

      it('AUTH-17 (d): five concurrent resets with one token → exactly one 200 and four 400', async () => {
        const user = await createUser(ctx.testApp.dataSource);
        const token = forgeToken({ sub: user.id, type: 'password_reset' });

        const responses = await Promise.all(
          [1, 2, 3, 4, 5].map((n) =>
            call('post', '/auth/reset-password').send({ token, new_password: `Concurrent${n}23` }),
          ),
        );

        const winners = responses.filter((response) => response.status === 200);
        expect(winners.map((response) => response.body)).toEqual([
          { message: 'Password reset successfully' },
        ]);
        const losers = responses.filter((response) => response.status !== 200);
        expect(losers).toHaveLength(4);
        for (const loser of losers)
          expectDomainError(loser, 400, 'This token has already been used', 'token_already_used');
        const blacklisted: unknown[] = await ctx.testApp.dataSource.query(
          'SELECT 1 FROM blacklisted_tokens WHERE jti = $1',
          [claimsOf(token).jti],
        );
        expect(blacklisted).toHaveLength(1);
        const row = await userRow(user.id);
        expect(row.password_changed_at).toEqual(clock.now());
      });
    });
  });

  describe('change-password (§2.1-13)', () => {
    it('AUTH-18 (a): a wrong old password → 400 "Incorrect old password"', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const { access_token } = await login(user.email);

      const response = await call('post', '/auth/change-password', access_token).send({
        old_password: 'wrong-password',
        new_password: NEW_PASSWORD,
      });

      expectDomainError(response, 400, 'Incorrect old password', 'incorrect_password');
      const row = await userRow(user.id);
      expect(row.password_changed_at).toBeNull();
      expect(await isBlacklisted(claimsOf(access_token).jti)).toBe(false);
    });

    it('AUTH-18 (b): a new password outside the policy ("weak") → 422', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const { access_token } = await login(user.email);

      const response = await call('post', '/auth/change-password', access_token).send({
        old_password: FIXTURE_PASSWORD,
        new_password: 'weak',
      });

      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([
        expect.objectContaining({ loc: ['body', 'new_password'], input: 'weak' }),
      ]);
      expect((await userRow(user.id)).password_changed_at).toBeNull();
    });

    it('AUTH-18 (c): the new password equal to the current one → 400 "…must be different…"', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      // The fixture password is outside the policy; move to one inside it first.
      const first = await login(user.email);
      const changed = await call('post', '/auth/change-password', first.access_token).send({
        old_password: FIXTURE_PASSWORD,
        new_password: NEW_PASSWORD,
      });
      expect({ status: changed.status, body: changed.body }).toEqual({
        status: 200,
        body: { message: 'Password changed successfully' },
      });
      const changedAt = (await userRow(user.id)).password_changed_at;
      const { access_token } = await login(user.email, NEW_PASSWORD);

      const response = await call('post', '/auth/change-password', access_token).send({
        old_password: NEW_PASSWORD,
        new_password: NEW_PASSWORD,
      });

      expectDomainError(
        response,
        400,
        'New password must be different from old password',
        'password_unchanged',
      );
      expect((await userRow(user.id)).password_changed_at).toEqual(changedAt);
      expect(await isBlacklisted(claimsOf(access_token).jti)).toBe(false);
    });
  });

  describe('PATCH /auth/me (§2.1-7)', () => {
    it('§2.1-7: sets names and phone, then clears them with null; unknown fields are ignored', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const { access_token } = await login(user.email);

      const set = await call('patch', '/auth/me', access_token).send({
        first_name: '  Jean-Pierre ',
        last_name: "D'Artagnan",
        phone: '+33612345678',
        role: 'admin',
        is_verified: false,
        email_verified: true,
      });

      const created = (await userRow(user.id)).created_at.toISOString();
      expect({ status: set.status, body: set.body }).toEqual({
        status: 200,
        body: {
          id: user.id,
          email: user.email,
          role: 'buyer',
          first_name: 'Jean-Pierre',
          last_name: "D'Artagnan",
          phone: '+33612345678',
          is_verified: true,
          photo_url: null,
          created_at: created,
          mechanic_profile: null,
        },
      });
      expect(await userRow(user.id)).toMatchObject({
        first_name: 'Jean-Pierre',
        last_name: "D'Artagnan",
        phone: '+33612345678',
        role: 'buyer',
        is_verified: true,
        email: user.email,
        password_changed_at: null,
      });

      const cleared = await call('patch', '/auth/me', access_token).send({
        first_name: null,
        last_name: null,
        phone: null,
      });

      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        first_name: null,
        last_name: null,
        phone: null,
        email: user.email,
      });
      expect(await userRow(user.id)).toMatchObject({ first_name: null, last_name: null, phone: null });
      // The same token still works: no e-mail change, no session reset.
      expect((await call('get', '/auth/me', access_token)).status).toBe(200);
    });

    it('§2.1-7: only the fields present change', async () => {
      const user = await createUser(ctx.testApp.dataSource, {
        firstName: 'Camille',
        lastName: 'Durand',
        phone: '0612345678',
      });
      const { access_token } = await login(user.email);

      const response = await call('patch', '/auth/me', access_token).send({ last_name: 'Martin' });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        first_name: 'Camille',
        last_name: 'Martin',
        phone: '0612345678',
      });
      expect(await userRow(user.id)).toMatchObject({
        first_name: 'Camille',
        last_name: 'Martin',
        phone: '0612345678',
      });
    });

    it('N7: {"email": null} → 422 on the email field, nothing changes', async () => {
      const user = await createUser(ctx.testApp.dataSource, { firstName: 'Camille' });
      const { access_token } = await login(user.email);

      const response = await call('patch', '/auth/me', access_token).send({
        email: null,
        first_name: 'Other',
      });

      expect({ status: response.status, body: response.body }).toEqual({
        status: 422,
        body: {
          detail: [
            {
              type: 'value_error',
              loc: ['body', 'email'],
              msg: 'value is not a valid email address',
              input: null,
            },
          ],
          request_id: expect.any(String),
        },
      });
      expect(await userRow(user.id)).toMatchObject({ email: user.email, first_name: 'Camille' });
    });

    it('§2.1-7/§10: an e-mail change unverifies the account, mails the new address and ends every session', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const tokens = await login(user.email);
      clock.advance(1_000);
      const newEmail = uniqueEmail('moved');

      const response = await call('patch', '/auth/me', tokens.access_token).send({ email: newEmail });

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: expect.objectContaining({ id: user.id, email: newEmail, is_verified: false }),
      });
      const row = await userRow(user.id);
      expect(row).toMatchObject({ email: newEmail, is_verified: false, password_changed_at: clock.now() });
      expect(row.verification_code).toMatch(/^[0-9a-f]{64}$/);
      const mail = await smtp.waitFor(newEmail);
      expect(mail.subject).toBe(VERIFICATION_SUBJECT);
      expect(mail.html).toContain(`${FRONTEND_URL}/verify?token=`);
      expect(await mailJobsTo([newEmail, user.email])).toEqual([newEmail]);
      // The token that changed the address is revoked outright, not merely outdated.
      expectDomainError(
        await call('get', '/auth/me', tokens.access_token),
        401,
        'Token has been revoked',
        'token_revoked',
      );
      expectDomainError(
        await call('post', '/auth/refresh').send({ refresh_token: tokens.refresh_token }),
        401,
        'Refresh token invalidated by password change',
        'password_changed',
      );
      expectDomainError(
        await call('post', '/auth/login').send({ email: newEmail, password: FIXTURE_PASSWORD }),
        403,
        'Email verification required. Please verify your email before logging in.',
        'email_not_verified',
      );
    });

    it('§2.1-7: the current address again is no change (stays verified, sessions kept)', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const { access_token } = await login(user.email);
      clock.advance(1_000);

      const response = await call('patch', '/auth/me', access_token).send({ email: user.email });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ email: user.email, is_verified: true });
      expect(await userRow(user.id)).toMatchObject({ is_verified: true, password_changed_at: null });
      expect((await call('get', '/auth/me', access_token)).status).toBe(200);
    });

    it('§2.1-7: an address another user has → 409 "Email already in use", nothing changes', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const other = await createUser(ctx.testApp.dataSource);
      const { access_token } = await login(user.email);

      const response = await call('patch', '/auth/me', access_token).send({
        email: other.email,
        first_name: 'Jeanne',
      });

      expectDomainError(response, 409, 'Email already in use', 'email_in_use');
      expect(await userRow(user.id)).toMatchObject({
        email: user.email,
        first_name: null,
        is_verified: true,
        password_changed_at: null,
      });
    });

    it('N8: two users taking the same new address at once → one 200 and one 409, never a 500 (10 rounds)', async () => {
      for (let round = 0; round < 10; round++) {
        // Fresh users each round: the winner's token is revoked by its e-mail change.
        const users = [await createUser(ctx.testApp.dataSource), await createUser(ctx.testApp.dataSource)];
        const tokens = users.map((user) => ({ access_token: forgeToken({ sub: user.id }) }));
        const target = uniqueEmail(`race${round}`);
        const before = await Promise.all(users.map((user) => userRow(user.id)));

        const responses = await Promise.all(
          tokens.map(({ access_token }) =>
            call('patch', '/auth/me', access_token, newIp()).send({ email: target }),
          ),
        );

        expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
        const winner = responses.findIndex((response) => response.status === 200);
        const loser = 1 - winner;
        expect(responses[winner].body).toMatchObject({
          id: users[winner].id,
          email: target,
          is_verified: false,
        });
        expectDomainError(responses[loser], 409, 'Email already in use', 'email_in_use');
        const owners: { id: string }[] = await ctx.testApp.dataSource.query(
          'SELECT id FROM users WHERE email = $1',
          [target],
        );
        expect(owners).toEqual([{ id: users[winner].id }]);
        expect(await userRow(users[loser].id)).toEqual(before[loser]);
        expect(await mailJobsTo([target])).toEqual([target]);
      }
    });
  });

  describe('push token (§2.1-8, §2.1-9)', () => {
    it.each(['ExponentPushToken[abc-DEF_123]', 'ExpoPushToken[x]'])(
      '§2.1-8: %s → 200 {"status":"ok"} and stored',
      async (token) => {
        const user = await createUser(ctx.testApp.dataSource);
        const { access_token } = await login(user.email);

        const response = await call('post', '/auth/push-token', access_token).send({ token });

        expect({ status: response.status, body: response.body }).toEqual({
          status: 200,
          body: { status: 'ok' },
        });
        expect((await userRow(user.id)).expo_push_token).toBe(token);
      },
    );

    it.each([
      { label: '"abc"', token: 'abc', type: 'string_pattern_mismatch' },
      { label: '"ExponentPushToken[]"', token: 'ExponentPushToken[]', type: 'string_pattern_mismatch' },
      { label: '"ExponentPushToken[a b]"', token: 'ExponentPushToken[a b]', type: 'string_pattern_mismatch' },
      {
        label: 'a well-formed token of 101 characters',
        token: TOKEN_OF_101_CHARACTERS,
        type: 'string_too_long',
      },
    ])('§2.1-8/§10: $label → 422 with the Expo message, the stored token kept', async ({ token, type }) => {
      const user = await createUser(ctx.testApp.dataSource);
      const { access_token } = await login(user.email);
      await ctx.testApp.dataSource.query(
        "UPDATE users SET expo_push_token = 'ExpoPushToken[kept]' WHERE id = $1",
        [user.id],
      );

      const response = await call('post', '/auth/push-token', access_token).send({ token });

      expect({ status: response.status, body: response.body }).toEqual({
        status: 422,
        body: {
          detail: [{ type, loc: ['body', 'token'], msg: PUSH_TOKEN_MESSAGE, input: token }],
          request_id: expect.any(String),
        },
      });
      expect((await userRow(user.id)).expo_push_token).toBe('ExpoPushToken[kept]');
    });

    it('§2.1-9: DELETE /auth/push-token → 200 {"status":"ok"} and the column is NULL', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const { access_token } = await login(user.email);
      expect(
        (await call('post', '/auth/push-token', access_token).send({ token: 'ExpoPushToken[gone]' })).status,
      ).toBe(200);

      const response = await call('delete', '/auth/push-token', access_token);

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
      expect((await userRow(user.id)).expo_push_token).toBeNull();
    });
  });

  describe('account deletion (§2.1-14)', () => {
    it('AUTH-19: DELETE /auth/me anonymises the buyer, revokes the token and refuses the old login', async () => {
      const user = await createUser(ctx.testApp.dataSource, {
        phone: '+33612345678',
        firstName: 'Jeanne',
        lastName: 'Martin',
      });
      const { access_token } = await login(user.email);
      expect(
        (await call('post', '/auth/push-token', access_token).send({ token: 'ExpoPushToken[dev1]' })).status,
      ).toBe(200);
      const before = await userRow(user.id);
      clock.advance(1_000);

      const response = await call('delete', '/auth/me', access_token);

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { message: 'Your account has been deleted' },
      });
      const row = await userRow(user.id);
      expect(row.email).toMatch(/^deleted_[0-9a-f-]{36}@deleted\.emecano\.local$/);
      expect(row).toMatchObject({
        first_name: 'Utilisateur',
        last_name: 'Supprime',
        phone: null,
        expo_push_token: null,
        photo_url: null,
        verification_code: null,
        password_changed_at: clock.now(),
      });
      expect(row.password_hash).not.toBe(before.password_hash);
      expect(await bcrypt.compare(FIXTURE_PASSWORD, row.password_hash)).toBe(false);
      expect(await isBlacklisted(claimsOf(access_token).jti)).toBe(true);
      expectDomainError(
        await call('get', '/auth/me', access_token),
        401,
        'Token has been revoked',
        'token_revoked',
      );
      expectDomainError(
        await call('post', '/auth/login').send({ email: user.email, password: FIXTURE_PASSWORD }),
        401,
        'Invalid email or password',
        'invalid_credentials',
      );
    });

    it('AUTH-19/N9: a refresh token obtained before the deletion is refused afterwards', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const { access_token, refresh_token } = await login(user.email);
      clock.advance(1_000);

      expect((await call('delete', '/auth/me', access_token)).status).toBe(200);
      const refresh = await call('post', '/auth/refresh').send({ refresh_token });

      expectDomainError(refresh, 403, 'Account has been deactivated', 'account_deactivated');
      expect(await isBlacklisted(claimsOf(refresh_token).jti)).toBe(false);
    });

    it('AUTH-19/N9: a refresh token obtained just before the deletion (inside the 500 ms tolerance) is refused too', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      const { access_token, refresh_token } = await login(user.email);
      clock.advance(400);

      expect((await call('delete', '/auth/me', access_token)).status).toBe(200);
      const refresh = await call('post', '/auth/refresh').send({ refresh_token });

      expectDomainError(refresh, 403, 'Account has been deactivated', 'account_deactivated');
      expect(await isBlacklisted(claimsOf(refresh_token).jti)).toBe(false);
    });

    describe('the last admin (§2.1-14 step 1, §7.8)', () => {
      beforeEach(async () => {
        // Each case starts from a database without any admin.
        await ctx.testApp.dataSource.query("UPDATE users SET role = 'buyer' WHERE role = 'admin'");
      });

      it('§2.1-14: the only admin deleting itself → 409, nothing changes', async () => {
        const admin = await createUser(ctx.testApp.dataSource, { role: 'admin' });
        const { access_token } = await login(admin.email);

        const response = await call('delete', '/auth/me', access_token);

        expectDomainError(response, 409, LAST_ADMIN, 'last_admin');
        expect(await userRow(admin.id)).toMatchObject({
          email: admin.email,
          role: 'admin',
          password_changed_at: null,
        });
        expect(await isBlacklisted(claimsOf(access_token).jti)).toBe(false);
        expect((await call('get', '/auth/me', access_token)).status).toBe(200);
      });

      it('§2.1-14: with two admins, one can delete itself', async () => {
        const [first, second] = [
          await createUser(ctx.testApp.dataSource, { role: 'admin' }),
          await createUser(ctx.testApp.dataSource, { role: 'admin' }),
        ];
        const { access_token } = await login(first.email);

        const response = await call('delete', '/auth/me', access_token);

        expect({ status: response.status, body: response.body }).toEqual({
          status: 200,
          body: { message: 'Your account has been deleted' },
        });
        expect((await userRow(first.id)).email).toMatch(/^deleted_/);
        expect((await userRow(second.id)).email).toBe(second.email);
      });

      it('§2.1-14/§7.8: once the other admin has deleted itself, the remaining one is the last admin → 409', async () => {
        const [first, second] = [
          await createUser(ctx.testApp.dataSource, { role: 'admin' }),
          await createUser(ctx.testApp.dataSource, { role: 'admin' }),
        ];
        const [firstTokens, secondTokens] = [await login(first.email), await login(second.email)];
        expect((await call('delete', '/auth/me', firstTokens.access_token)).status).toBe(200);

        const response = await call('delete', '/auth/me', secondTokens.access_token);

        expectDomainError(response, 409, LAST_ADMIN, 'last_admin');
        expect((await userRow(second.id)).email).toBe(second.email);
      });

      it('§2.1-14: two admins deleting themselves at once → exactly one 200 and one 409', async () => {
        const admins = [
          await createUser(ctx.testApp.dataSource, { role: 'admin' }),
          await createUser(ctx.testApp.dataSource, { role: 'admin' }),
        ];
        const tokens = await Promise.all(admins.map((admin) => login(admin.email)));

        const responses = await Promise.all(
          tokens.map(({ access_token }) => call('delete', '/auth/me', access_token)),
        );

        expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
        const loser = responses.findIndex((response) => response.status === 409);
        expectDomainError(responses[loser], 409, LAST_ADMIN, 'last_admin');
        expect((await userRow(admins[loser].id)).email).toBe(admins[loser].email);
      });
    });
  });

  describe('GDPR export (§2.1-15)', () => {
    it('AUTH-23: GET /auth/me/export → 200 with the profile and the buyer sections', async () => {
      const user = await createUser(ctx.testApp.dataSource, { firstName: 'Camille', lastName: 'Durand' });
      const { access_token } = await login(user.email);

      const response = await call('get', '/auth/me/export', access_token);

      const created = (await userRow(user.id)).created_at;
      expect(response.status).toBe(200);
      expect(Object.keys(response.body)).toEqual([
        'profile',
        'bookings',
        'reviews',
        'messages',
        'notifications',
        'disputes',
      ]);
      expect(response.body).toEqual({
        profile: {
          id: user.id,
          email: user.email,
          first_name: 'Camille',
          last_name: 'Durand',
          phone: null,
          role: 'buyer',
          is_verified: true,
          created_at: created.toISOString().replace('Z', '+00:00'),
        },
        bookings: [],
        reviews: [],
        messages: [],
        notifications: [],
        disputes: [],
      });
      expect(response.body.profile.created_at).toMatch(/\+00:00$/);
    });

    it('AUTH-23: values a spreadsheet would execute are exported with a leading quote', async () => {
      const user = await createUser(ctx.testApp.dataSource);
      await ctx.testApp.dataSource.query(
        "UPDATE users SET phone = '+33600000001', first_name = '=HYPERLINK(\"x\")', last_name = '@SUM(A1)' WHERE id = $1",
        [user.id],
      );
      const { access_token } = await login(user.email);

      const response = await call('get', '/auth/me/export', access_token);

      expect(response.status).toBe(200);
      expect(response.body.profile).toMatchObject({
        email: user.email,
        phone: "'+33600000001",
        first_name: '\'=HYPERLINK("x")',
        last_name: "'@SUM(A1)",
      });
      // The stored values are untouched.
      expect(await userRow(user.id)).toMatchObject({ phone: '+33600000001', first_name: '=HYPERLINK("x")' });
    });

    describe('outside development', () => {
      let prod: TestApp;

      beforeAll(async () => {
        prod = await startTestApp({
          config: productionTestConfig({ SMTP_URL: smtp.url, TRUSTED_PROXY_COUNT: '1' }),
          databaseUrl: ctx.db.url,
          clock,
        });
      });

      afterAll(async () => {
        await prod?.close();
      });

      it('§10: the third export within an hour → 429 {"error":"Rate limit exceeded: 2 per 1 hour"}', async () => {
        const user = await createUser(prod.dataSource);
        const { access_token } = await login(user.email, FIXTURE_PASSWORD, ip, prod);

        const statuses: number[] = [];
        for (let i = 0; i < 2; i++)
          statuses.push((await call('get', '/auth/me/export', access_token, ip, prod)).status);
        const third = await call('get', '/auth/me/export', access_token, ip, prod);

        expect(statuses).toEqual([200, 200]);
        expect({ status: third.status, body: third.body }).toEqual({
          status: 429,
          body: { error: 'Rate limit exceeded: 2 per 1 hour' },
        });
        // The limit is per client address: another one still gets its export.
        expect((await call('get', '/auth/me/export', access_token, newIp(), prod)).status).toBe(200);
      });
    });
  });
});
