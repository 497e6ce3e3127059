import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { type TestApp } from '../support/app';
import { FixedClock } from '../support/clock';
import { productionTestConfig, TEST_JWT_SECRET, testConfig } from '../support/config';
import { bearer, createUser, forgeToken, type UserFixture } from '../support/factories';
import { claimsOf, newIp, type TokenPair } from '../support/http';
import { useTestDatabase } from '../support/test-app-context';

/**
 * Sessions end to end (identity §0, §2.0.1, §2.1-4/5/6/10/13, §3, §10, N5, N6, N24, N25):
 * login and lockout, the user guard, H-004, refresh rotation and logout.
 */

const redisUrl = process.env.REDIS_URL;
const itWithRedis = redisUrl ? it : it.skip;

const BASE = Date.parse('2026-03-02T09:00:00.000Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const ACCESS_LIFETIME_S = 15 * 60;
const REFRESH_LIFETIME_S = 7 * 86_400;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const NEW_PASSWORD = 'NewSecure456';
const WRONG_PASSWORD = 'wrong-password-1';

const INVALID_CREDENTIALS = 'Invalid email or password';
const LOCKED = 'Too many failed login attempts. Please try again later.';
const DEACTIVATED = 'Account has been deactivated. Contact support for more information.';
const INVALID_AUTH_TOKEN = 'Invalid authentication token';
const INVALID_REFRESH = 'Invalid or expired refresh token';
const PASSWORD_CHANGED = 'Token invalidated by password change';
const REFRESH_PASSWORD_CHANGED = 'Refresh token invalidated by password change';

const jtiOf = (token: string) => claimsOf(token).jti!;

/** [FORGE] an access (or `type`) token issued at `atMs` on the app's clock: iat, iat_ms and exp follow it. */
function forgeAt(atMs: number, claims: Record<string, unknown> = {}, secret?: string): string {
  const iat = Math.floor(atMs / 1000);
  const lifetime = claims.type === 'refresh' ? REFRESH_LIFETIME_S : ACCESS_LIFETIME_S;
  const defaults = {
    type: 'access',
    jti: randomUUID(),
    iat,
    iat_ms: atMs,
    exp: iat + lifetime,
    iss: 'emecano',
  };
  return forgeToken({ ...defaults, ...claims }, secret);
}

/** An unsigned `alg: none` JWT, which no verifier may accept. */
function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** HTTP calls from one client address. */
function client(testApp: TestApp, ip = newIp()) {
  const from = { 'X-Forwarded-For': ip };
  const withToken = <T extends { set(field: object): T }>(call: T, token?: string) =>
    token === undefined ? call : call.set(bearer(token));
  return {
    ip,
    login: (email: string, password: string) =>
      testApp.http.post('/auth/login').set(from).send({ email, password }),
    me: (token?: string) => withToken(testApp.http.get('/auth/me').set(from), token),
    export: (token?: string) => withToken(testApp.http.get('/auth/me/export').set(from), token),
    refresh: (refreshToken: string) =>
      testApp.http.post('/auth/refresh').set(from).send({ refresh_token: refreshToken }),
    changePassword: (token: string | undefined, oldPassword: string, newPassword: string) =>
      withToken(testApp.http.post('/auth/change-password').set(from), token).send({
        old_password: oldPassword,
        new_password: newPassword,
      }),
    logout: (token?: string, body?: object) => {
      const call = withToken(testApp.http.post('/auth/logout').set(from), token);
      return body === undefined ? call : call.send(body);
    },
  };
}

/** Logs in and returns the token pair, failing loudly if the login does not succeed. */
async function loginPair(testApp: TestApp, user: { email: string; password: string }): Promise<TokenPair> {
  const response = await client(testApp).login(user.email, user.password);
  expect(response.status).toBe(200);
  return response.body as TokenPair;
}

async function blacklistRow(testApp: TestApp, jti: string): Promise<{ expires_at: Date } | undefined> {
  const rows: { expires_at: Date }[] = await testApp.dataSource.query(
    'SELECT expires_at FROM blacklisted_tokens WHERE jti = $1',
    [jti],
  );
  return rows[0];
}

async function blacklistCount(testApp: TestApp, jti: string): Promise<number> {
  const rows: { n: number }[] = await testApp.dataSource.query(
    'SELECT count(*)::int AS n FROM blacklisted_tokens WHERE jti = $1',
    [jti],
  );
  return rows[0].n;
}

async function setPasswordChangedAt(testApp: TestApp, userId: string, at: Date | null): Promise<void> {
  await testApp.dataSource.query('UPDATE users SET password_changed_at = $2 WHERE id = $1', [userId, at]);
}

async function deactivate(testApp: TestApp, userId: string): Promise<void> {
  await testApp.dataSource.query('UPDATE users SET is_active = false WHERE id = $1', [userId]);
}

const withoutRequestId = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'request_id'));

describe('auth sessions', () => {
  const ctx = useTestDatabase();
  let app: TestApp;
  const clock = new FixedClock(new Date(BASE));

  const start = (overrides: Record<string, string>, withClock?: FixedClock): Promise<TestApp> =>
    ctx.startApp({ config: testConfig({ TRUSTED_PROXY_COUNT: '1', ...overrides }), clock: withClock });

  beforeAll(async () => {
    // Memory mode: no Redis, so the lockout keeps its failures in process and follows the clock.
    app = await start({ REDIS_URL: '' }, clock);
  });

  beforeEach(() => clock.set(new Date(BASE)));

  describe('login (§2.1-4) and GET /auth/me (§2.1-6)', () => {
    it('AUTH-05: login returns a bearer pair with no-store, and the access token opens /auth/me', async () => {
      const user = await createUser(app.dataSource);
      const api = client(app);
      const login = await api.login(user.email, user.password);
      expect(login.status).toBe(200);
      expect(login.headers['cache-control']).toBe('no-store');
      expect(login.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'bearer',
      });

      const me = await api.me(login.body.access_token);
      expect(me.status).toBe(200);
      expect(me.body.email).toBe(user.email);
      expect(me.body.id).toBe(user.id);
    });

    it('AUTH-05 §3: the access and refresh tokens carry the §3 claims, minted on the injected clock', async () => {
      clock.set(new Date(BASE + 250));
      const user = await createUser(app.dataSource);
      const pair = await loginPair(app, user);

      const decoded = jwt.decode(pair.access_token, { complete: true })!;
      expect(decoded.header.alg).toBe('HS256');
      const access = claimsOf(pair.access_token);
      expect(access).toEqual({
        sub: user.id,
        type: 'access',
        jti: expect.stringMatching(UUID_V4),
        iat: Math.floor((BASE + 250) / 1000),
        exp: Math.floor((BASE + 250) / 1000) + 900,
        iss: 'emecano',
        iat_ms: BASE + 250,
      });
      expect(access.exp! - access.iat!).toBe(900);

      const refresh = claimsOf(pair.refresh_token);
      expect(refresh).toMatchObject({ sub: user.id, type: 'refresh', iss: 'emecano', iat_ms: BASE + 250 });
      expect(refresh.jti).toMatch(UUID_V4);
      expect(refresh.jti).not.toBe(access.jti);
      expect(refresh.exp! - refresh.iat!).toBe(REFRESH_LIFETIME_S);
    });

    it('AUTH-06 [SEC]: a wrong password and an unknown e-mail get the same 401 body', async () => {
      const user = await createUser(app.dataSource);
      const api = client(app);
      const wrongPassword = await api.login(user.email, WRONG_PASSWORD);
      const unknownEmail = await api.login(
        `nobody-${randomUUID().slice(0, 8)}@emecano-test.fr`,
        'password123',
      );

      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect(wrongPassword.body.detail).toBe(INVALID_CREDENTIALS);
      expect(withoutRequestId(wrongPassword.body)).toEqual(withoutRequestId(unknownEmail.body));
      expect(Object.keys(wrongPassword.body).sort()).toEqual(Object.keys(unknownEmail.body).sort());
    });

    it('§10 login: a deactivated account is refused with 403 even with the right password', async () => {
      const user = await createUser(app.dataSource, { isActive: false });
      const response = await client(app).login(user.email, user.password);
      expect(response.status).toBe(403);
      expect(response.body.detail).toBe(DEACTIVATED);
    });

    it('§10 login: an unverified account is refused with 403 "Email verification required…"', async () => {
      const user = await createUser(app.dataSource, { isVerified: false });
      const response = await client(app).login(user.email, user.password);
      expect(response.status).toBe(403);
      expect(response.body.detail).toBe(
        'Email verification required. Please verify your email before logging in.',
      );
    });

    it('AUTH-07: /auth/me for a buyer is the full UserWithProfile with mechanic_profile null', async () => {
      const user = await createUser(app.dataSource, {
        firstName: 'Jeanne',
        lastName: 'Dupont',
        phone: '+33600000777',
      });
      const response = await client(app).me(forgeAt(BASE, { sub: user.id }));
      expect(response.status).toBe(200);
      const [row]: { created_at: Date }[] = await app.dataSource.query(
        'SELECT created_at FROM users WHERE id = $1',
        [user.id],
      );
      expect(response.body).toEqual({
        id: user.id,
        email: user.email,
        role: 'buyer',
        first_name: 'Jeanne',
        last_name: 'Dupont',
        phone: '+33600000777',
        is_verified: true,
        photo_url: null,
        created_at: expect.stringMatching(ISO_UTC),
        mechanic_profile: null,
      });
      expect(new Date(response.body.created_at).getTime()).toBe(row.created_at.getTime());
      expect(JSON.stringify(response.body)).not.toMatch(/password|hash/i);
    });
  });

  describe('login lockout in memory (§2.1-4, REDIS_URL empty, N25)', () => {
    it('§2.1-4 lockout: 5 failures lock the address (429 even with the right password) until 15 min + 1 ms later', async () => {
      const user = await createUser(app.dataSource);
      const api = client(app);
      for (let i = 0; i < 4; i++) {
        const failed = await api.login(user.email, WRONG_PASSWORD);
        expect([failed.status, failed.body.detail]).toEqual([401, INVALID_CREDENTIALS]);
      }
      clock.advance(5 * MINUTE);
      const fifth = await api.login(user.email, WRONG_PASSWORD);
      expect([fifth.status, fifth.body.detail]).toEqual([401, INVALID_CREDENTIALS]);

      const locked = await api.login(user.email, user.password);
      expect(locked.status).toBe(429);
      expect(locked.body.detail).toBe(LOCKED);

      // The four first failures are 15 min old 1 ms later: still locked 1 ms before that.
      clock.set(new Date(BASE + 15 * MINUTE - 1));
      const stillLocked = await api.login(user.email, user.password);
      expect([stillLocked.status, stillLocked.body.detail]).toEqual([429, LOCKED]);

      clock.set(new Date(BASE + 15 * MINUTE + 1));
      const unlocked = await api.login(user.email, user.password);
      expect(unlocked.status).toBe(200);
      expect(unlocked.body.token_type).toBe('bearer');
    });

    it('§2.1-4 lockout N25: failures for another (even unknown) e-mail do not lock this one', async () => {
      const user = await createUser(app.dataSource);
      const unknown = `nobody-${randomUUID().slice(0, 8)}@emecano-test.fr`;
      const api = client(app);
      for (let i = 0; i < 5; i++) expect((await api.login(unknown, WRONG_PASSWORD)).status).toBe(401);
      const lockedUnknown = await api.login(unknown, WRONG_PASSWORD);
      expect([lockedUnknown.status, lockedUnknown.body.detail]).toEqual([429, LOCKED]);

      const response = await api.login(user.email, user.password);
      expect(response.status).toBe(200);
    });

    it('§2.1-4 lockout: a success before the 5th failure clears the counter', async () => {
      const user = await createUser(app.dataSource);
      const api = client(app);
      for (let i = 0; i < 4; i++) expect((await api.login(user.email, WRONG_PASSWORD)).status).toBe(401);
      expect((await api.login(user.email, user.password)).status).toBe(200);
      // Without the clear this would be the 5th failure and the next login would be locked.
      expect((await api.login(user.email, WRONG_PASSWORD)).status).toBe(401);
      const response = await api.login(user.email, user.password);
      expect(response.status).toBe(200);
    });

    it('§10 login: a deactivated account is refused before the counter is cleared', async () => {
      const user = await createUser(app.dataSource, { isActive: false });
      const api = client(app);
      for (let i = 0; i < 4; i++) expect((await api.login(user.email, WRONG_PASSWORD)).status).toBe(401);
      expect((await api.login(user.email, user.password)).status).toBe(403);
      expect((await api.login(user.email, WRONG_PASSWORD)).status).toBe(401);
      const locked = await api.login(user.email, user.password);
      expect([locked.status, locked.body.detail]).toEqual([429, LOCKED]);
    });
  });

  describe('login lockout shared through Redis (§2.1-4)', () => {
    let first: TestApp;
    let second: TestApp;
    let redis: Redis;
    const keyOf = (email: string) => `login_attempts:${createHash('sha256').update(email).digest('hex')}`;

    beforeAll(async () => {
      if (!redisUrl) return;
      first = await start({ REDIS_URL: redisUrl }, new FixedClock(new Date(BASE)));
      second = await start({ REDIS_URL: redisUrl }, new FixedClock(new Date(BASE)));
      redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
    });

    afterAll(async () => {
      await redis?.quit();
    });

    itWithRedis(
      '§2.1-4 lockout: 3 failures on one instance and 2 on another lock the address on both',
      async () => {
        const user = await createUser(first.dataSource);
        const [one, two] = [client(first), client(second)];
        for (let i = 0; i < 3; i++) expect((await one.login(user.email, WRONG_PASSWORD)).status).toBe(401);
        // The window restarts at each failure (INCR then a 900 s expiry).
        await redis.pexpire(keyOf(user.email), 60_000);
        for (let i = 0; i < 2; i++) expect((await two.login(user.email, WRONG_PASSWORD)).status).toBe(401);

        expect(await redis.get(keyOf(user.email))).toBe('5');
        const ttl = await redis.pttl(keyOf(user.email));
        expect(ttl).toBeGreaterThan(890_000);
        expect(ttl).toBeLessThanOrEqual(900_000);
        expect(await redis.exists(`login_attempts:${user.email}`)).toBe(0);

        for (const api of [one, two]) {
          const locked = await api.login(user.email, user.password);
          expect([locked.status, locked.body.detail]).toEqual([429, LOCKED]);
        }

        // The lock lasts as long as the Redis key: once it expires, the address is free again.
        await redis.pexpire(keyOf(user.email), 1);
        while (await redis.exists(keyOf(user.email))) await new Promise((resolve) => setTimeout(resolve, 5));
        expect((await two.login(user.email, user.password)).status).toBe(200);
      },
    );

    itWithRedis('§2.1-4 lockout: a success on any instance clears the shared counter', async () => {
      const user = await createUser(first.dataSource);
      const [one, two] = [client(first), client(second)];
      for (let i = 0; i < 4; i++) expect((await one.login(user.email, WRONG_PASSWORD)).status).toBe(401);
      expect(await redis.get(keyOf(user.email))).toBe('4');
      expect((await two.login(user.email, user.password)).status).toBe(200);
      expect(await redis.exists(keyOf(user.email))).toBe(0);
      expect((await one.login(user.email, WRONG_PASSWORD)).status).toBe(401);
      expect((await one.login(user.email, user.password)).status).toBe(200);
    });
  });

  describe('the user guard (§0, §2.0.1, §3)', () => {
    let buyer: UserFixture;

    beforeAll(async () => {
      buyer = await createUser(app.dataSource);
    });

    it('AUTH-09 [SEC]: without Authorization, /auth/me, change-password and export answer 403 "Not authenticated"', async () => {
      const api = client(app);
      const responses = [
        await api.me(),
        await api.changePassword(undefined, 'password123', NEW_PASSWORD),
        await app.http.post('/auth/change-password').set('X-Forwarded-For', api.ip),
        await api.export(),
      ];
      for (const response of responses) {
        expect(response.status).toBe(403);
        expect(response.body).toEqual({
          detail: 'Not authenticated',
          code: expect.any(String),
          request_id: expect.any(String),
        });
      }
    });

    it('AUTH-09 [SEC]: another scheme answers 403 "Invalid authentication credentials"; an empty header "Not authenticated"', async () => {
      const api = client(app);
      const basic = await app.http
        .get('/auth/me')
        .set('X-Forwarded-For', api.ip)
        .set('Authorization', 'Basic abc');
      expect(basic.status).toBe(403);
      expect(basic.body.detail).toBe('Invalid authentication credentials');

      const exportBasic = await app.http
        .get('/auth/me/export')
        .set('X-Forwarded-For', api.ip)
        .set('Authorization', 'Basic abc');
      expect([exportBasic.status, exportBasic.body.detail]).toEqual([
        403,
        'Invalid authentication credentials',
      ]);

      const empty = await app.http.get('/auth/me').set('X-Forwarded-For', api.ip).set('Authorization', '');
      expect([empty.status, empty.body.detail]).toEqual([403, 'Not authenticated']);
    });

    it('§0 bearer: the scheme is case-insensitive', async () => {
      const response = await app.http
        .get('/auth/me')
        .set('X-Forwarded-For', newIp())
        .set('Authorization', `bearer ${forgeAt(BASE, { sub: buyer.id })}`);
      expect(response.status).toBe(200);
    });

    const matrix: { name: string; token: (user: UserFixture) => string; detail: string }[] = [
      { name: '(a) "invalid_token"', token: () => 'invalid_token', detail: INVALID_AUTH_TOKEN },
      { name: '(a) "not.a.valid.jwt"', token: () => 'not.a.valid.jwt', detail: INVALID_AUTH_TOKEN },
      {
        name: '(b) an access JWT without sub',
        token: () => forgeAt(BASE, { sub: undefined }),
        detail: INVALID_AUTH_TOKEN,
      },
      {
        name: '(c) an access JWT without jti',
        token: (u) => forgeAt(BASE, { sub: u.id, jti: undefined }),
        detail: 'Invalid token',
      },
      {
        name: '(e) a valid access JWT for a random UUID',
        token: () => forgeAt(BASE, { sub: randomUUID() }),
        detail: 'User not found',
      },
      {
        name: '(f) a JWT signed with another secret',
        token: (u) => forgeAt(BASE, { sub: u.id }, `${TEST_JWT_SECRET}-but-another-one`),
        detail: INVALID_AUTH_TOKEN,
      },
      {
        name: '(g) an expired JWT (exp = now: no leeway)',
        token: (u) => forgeAt(BASE - ACCESS_LIFETIME_S * SECOND, { sub: u.id }),
        detail: INVALID_AUTH_TOKEN,
      },
      {
        name: 'a JWT without iss',
        token: (u) => forgeAt(BASE, { sub: u.id, iss: undefined }),
        detail: INVALID_AUTH_TOKEN,
      },
      {
        name: 'a JWT with iss "other"',
        token: (u) => forgeAt(BASE, { sub: u.id, iss: 'other' }),
        detail: INVALID_AUTH_TOKEN,
      },
      {
        name: 'an alg "none" JWT',
        token: (u) =>
          unsignedToken({
            sub: u.id,
            type: 'access',
            jti: randomUUID(),
            iat: BASE / 1000,
            exp: BASE / 1000 + 900,
            iss: 'emecano',
          }),
        detail: INVALID_AUTH_TOKEN,
      },
      {
        name: 'an HS512 JWT signed with the right secret (algorithm not allowed)',
        token: (u) =>
          jwt.sign(
            {
              sub: u.id,
              type: 'access',
              jti: randomUUID(),
              iat: BASE / 1000,
              exp: BASE / 1000 + 900,
              iss: 'emecano',
            },
            TEST_JWT_SECRET,
            { algorithm: 'HS512' },
          ),
        detail: INVALID_AUTH_TOKEN,
      },
      {
        name: 'a password_reset JWT',
        token: (u) => forgeAt(BASE, { sub: u.id, type: 'password_reset' }),
        detail: INVALID_AUTH_TOKEN,
      },
      {
        name: 'a sub that is not a UUID (never a 500)',
        token: () => forgeAt(BASE, { sub: 'not-a-uuid' }),
        detail: 'User not found',
      },
    ];

    for (const { name, token, detail } of matrix) {
      it(`AUTH-10 [SEC][FORGE]: ${name} → 401 "${detail}"`, async () => {
        const response = await client(app).me(token(buyer));
        expect(response.status).toBe(401);
        expect(response.body.detail).toBe(detail);
      });
    }

    it('AUTH-10 (d) (g) [SEC]: the real refresh token is refused as bearer; the real access token dies at exp on the clock', async () => {
      const pair = await loginPair(app, buyer);
      const api = client(app);
      const asBearer = await api.me(pair.refresh_token);
      expect([asBearer.status, asBearer.body.detail]).toEqual([401, INVALID_AUTH_TOKEN]);

      clock.advance(ACCESS_LIFETIME_S * SECOND - 1);
      expect((await api.me(pair.access_token)).status).toBe(200);
      clock.advance(1);
      const expired = await api.me(pair.access_token);
      expect([expired.status, expired.body.detail]).toEqual([401, INVALID_AUTH_TOKEN]);
    });

    it('AUTH-11 [SEC]: a jti inserted into blacklisted_tokens → 401 "Token has been revoked", logged at warning', async () => {
      const token = forgeAt(BASE, { sub: buyer.id });
      expect((await client(app).me(token)).status).toBe(200);
      await app.dataSource.query('INSERT INTO blacklisted_tokens (jti, expires_at) VALUES ($1, $2)', [
        jtiOf(token),
        new Date(BASE + ACCESS_LIFETIME_S * SECOND),
      ]);
      const response = await client(app).me(token);
      expect(response.status).toBe(401);
      expect(response.body.detail).toBe('Token has been revoked');
      const warning = app.logs
        .records()
        .find((r) => r.event === 'revoked_token_used' && r.jti === jtiOf(token));
      expect(warning).toMatchObject({ level: 'warn', user_id: buyer.id });
    });

    it('AUTH-11 [SEC]: the blacklist is checked before the user lookup', async () => {
      const token = forgeAt(BASE, { sub: randomUUID() });
      await app.dataSource.query('INSERT INTO blacklisted_tokens (jti, expires_at) VALUES ($1, $2)', [
        jtiOf(token),
        new Date(BASE + ACCESS_LIFETIME_S * SECOND),
      ]);
      const response = await client(app).me(token);
      expect([response.status, response.body.detail]).toEqual([401, 'Token has been revoked']);
    });

    it('AUTH-11 [SEC]: after POST /auth/logout the access token → 401 "Token has been revoked"', async () => {
      const pair = await loginPair(app, buyer);
      const api = client(app);
      expect((await api.me(pair.access_token)).status).toBe(200);
      expect((await api.logout(pair.access_token)).body).toEqual({ status: 'logged_out' });
      const response = await api.me(pair.access_token);
      expect([response.status, response.body.detail]).toEqual([401, 'Token has been revoked']);
    });

    it('AUTH-11 §10 [SEC]: a deactivated user\'s token → 403 "Account has been deactivated…", before the password-change rule', async () => {
      const user = await createUser(app.dataSource);
      const token = forgeAt(BASE, { sub: user.id });
      expect((await client(app).me(token)).status).toBe(200);
      await deactivate(app, user.id);
      const response = await client(app).me(token);
      expect(response.status).toBe(403);
      expect(response.body.detail).toBe(DEACTIVATED);

      await setPasswordChangedAt(app, user.id, new Date(BASE + 5 * MINUTE));
      const both = await client(app).export(token);
      expect([both.status, both.body.detail]).toEqual([403, DEACTIVATED]);
    });

    it('§0 order of checks: requests refused by the guard spend no rate-limit quota', async () => {
      const api = client(app);
      for (let i = 0; i < 31; i++) {
        const refused = i % 2 ? await api.me() : await api.me('invalid_token');
        expect(refused.status).toBeGreaterThanOrEqual(401);
        expect(refused.status).toBeLessThanOrEqual(403);
      }
      expect((await api.me(forgeAt(BASE, { sub: buyer.id }))).status).toBe(200);
    });
  });

  describe('password change invalidation (§2.1-13, §3 H-004, N5, N24)', () => {
    it('AUTH-12 [SEC][AUDIT-H-004]: change-password kills older sessions; the new login right after works (N24)', async () => {
      const user = await createUser(app.dataSource);
      const t = BASE + 500;
      clock.set(new Date(t));
      const t0 = await loginPair(app, user);
      clock.set(new Date(t + 1_100));
      const t1 = await loginPair(app, user);
      clock.set(new Date(t + 1_200));

      const api = client(app);
      const changed = await api.changePassword(t1.access_token, user.password, NEW_PASSWORD);
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ message: 'Password changed successfully' });
      const [row]: { password_changed_at: Date }[] = await app.dataSource.query(
        'SELECT password_changed_at FROM users WHERE id = $1',
        [user.id],
      );
      expect(row.password_changed_at.getTime()).toBe(t + 1_200);
      expect(await blacklistCount(app, jtiOf(t1.access_token))).toBe(1);

      const old = await api.me(t0.access_token);
      expect([old.status, old.body.detail]).toEqual([401, PASSWORD_CHANGED]);
      const presented = await api.me(t1.access_token);
      expect([presented.status, presented.body.detail]).toEqual([401, 'Token has been revoked']);

      // 09:00:01.900: the same whole second as the change (at .700), so only iat_ms keeps it alive.
      clock.set(new Date(t + 1_400));
      expect((await api.login(user.email, user.password)).status).toBe(401);
      const relogin = await api.login(user.email, NEW_PASSWORD);
      expect(relogin.status).toBe(200);
      const issuedMs = claimsOf(relogin.body.access_token).iat_ms!;
      expect(issuedMs).toBe(t + 1_400);
      // Its whole-second issue time is 700 ms before the change: a seconds-only check would refuse it.
      expect(Math.floor(issuedMs / 1000) * 1000).toBeLessThan(t + 1_200 - 500);
      const me = await api.me(relogin.body.access_token);
      expect(me.status).toBe(200);
      expect(me.body.email).toBe(user.email);
    });

    it('AUTH-12 [FORGE]: password_changed_at = now + 5 min kills every existing token', async () => {
      const user = await createUser(app.dataSource);
      const pair = await loginPair(app, user);
      const api = client(app);
      expect((await api.me(pair.access_token)).status).toBe(200);
      await setPasswordChangedAt(app, user.id, new Date(clock.now().getTime() + 5 * MINUTE));

      const me = await api.me(pair.access_token);
      expect([me.status, me.body.detail]).toEqual([401, PASSWORD_CHANGED]);
      expect(me.body.detail).toContain('password change');
      const refresh = await api.refresh(pair.refresh_token);
      expect([refresh.status, refresh.body.detail]).toEqual([401, REFRESH_PASSWORD_CHANGED]);
    });

    it('H-004 [FORGE]: the tolerance is 500 ms in milliseconds: 499 ms before works, 500 ms works, 501 ms before is refused', async () => {
      const user = await createUser(app.dataSource);
      const changedAt = BASE + 10_250;
      await setPasswordChangedAt(app, user.id, new Date(changedAt));
      clock.set(new Date(changedAt + SECOND));
      const api = client(app);

      for (const [before, status] of [
        [499, 200],
        [500, 200],
        [501, 401],
        [2_000, 401],
      ] as const) {
        const response = await api.me(forgeAt(changedAt - before, { sub: user.id }));
        expect({ before, status: response.status }).toEqual({ before, status });
        if (status === 401) expect(response.body.detail).toBe(PASSWORD_CHANGED);
      }
    });

    it('N24 [FORGE]: a token minted 300 ms after a change at .600 of a second works, though its whole-second iat is 600 ms before the change', async () => {
      const user = await createUser(app.dataSource);
      const changedAt = BASE + 20_600;
      await setPasswordChangedAt(app, user.id, new Date(changedAt));
      const issuedAt = changedAt + 300;
      clock.set(new Date(issuedAt + 100));
      const token = forgeAt(issuedAt, { sub: user.id });
      expect(claimsOf(token).iat! * 1000).toBeLessThan(changedAt - 500);

      const response = await client(app).me(token);
      expect(response.status).toBe(200);
    });

    it('N24 [FORGE]: a token with no iat_ms falls back to its whole-second iat', async () => {
      const user = await createUser(app.dataSource);
      const changedAt = BASE + 30_000;
      await setPasswordChangedAt(app, user.id, new Date(changedAt));
      clock.set(new Date(changedAt + 2 * SECOND));
      const api = client(app);

      const before = await api.me(forgeAt(changedAt - 2 * SECOND, { sub: user.id, iat_ms: undefined }));
      expect([before.status, before.body.detail]).toEqual([401, PASSWORD_CHANGED]);
      const after = await api.me(forgeAt(changedAt + SECOND, { sub: user.id, iat_ms: undefined }));
      expect(after.status).toBe(200);
    });

    it('N5 [SEC]: after change-password an older refresh token → 401 and stays unrevoked; a newer one refreshes', async () => {
      const user = await createUser(app.dataSource);
      const before = await loginPair(app, user);
      clock.advance(1_200);
      const api = client(app);
      expect((await api.changePassword(before.access_token, user.password, NEW_PASSWORD)).status).toBe(200);

      const refused = await api.refresh(before.refresh_token);
      expect([refused.status, refused.body.detail]).toEqual([401, REFRESH_PASSWORD_CHANGED]);
      expect(await blacklistRow(app, jtiOf(before.refresh_token))).toBeUndefined();

      clock.advance(100);
      const after = await loginPair(app, { email: user.email, password: NEW_PASSWORD });
      const refreshed = await api.refresh(after.refresh_token);
      expect(refreshed.status).toBe(200);
    });

    it('N5 [SEC][FORGE]: after a reset (password_changed_at set by SQL) an older refresh token → 401; within 500 ms it still works', async () => {
      const user = await createUser(app.dataSource);
      const pair = await loginPair(app, user);
      const issuedAt = claimsOf(pair.refresh_token).iat_ms!;
      const api = client(app);

      await setPasswordChangedAt(app, user.id, new Date(issuedAt + 501));
      const refused = await api.refresh(pair.refresh_token);
      expect([refused.status, refused.body.detail]).toEqual([401, REFRESH_PASSWORD_CHANGED]);
      expect(await blacklistRow(app, jtiOf(pair.refresh_token))).toBeUndefined();

      // The refusal rolled back the rotation, so the same token is still usable.
      await setPasswordChangedAt(app, user.id, new Date(issuedAt + 499));
      const accepted = await api.refresh(pair.refresh_token);
      expect(accepted.status).toBe(200);
    });
  });

  describe('refresh (§2.1-5)', () => {
    it('AUTH-13: refresh rotates the pair and blacklists the old jti; a replay → 401 "Token revoked"', async () => {
      const user = await createUser(app.dataSource);
      const pair = await loginPair(app, user);
      clock.advance(SECOND);
      const api = client(app);

      const refreshed = await api.refresh(pair.refresh_token);
      expect(refreshed.status).toBe(200);
      expect(refreshed.headers['cache-control']).toBe('no-store');
      expect(refreshed.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'bearer',
      });
      expect(refreshed.body.access_token).not.toBe(pair.access_token);
      expect(refreshed.body.refresh_token).not.toBe(pair.refresh_token);
      expect(claimsOf(refreshed.body.refresh_token)).toMatchObject({ sub: user.id, type: 'refresh' });

      const row = await blacklistRow(app, jtiOf(pair.refresh_token));
      expect(row?.expires_at.getTime()).toBe(claimsOf(pair.refresh_token).exp! * 1000);
      expect(await blacklistRow(app, jtiOf(refreshed.body.refresh_token))).toBeUndefined();

      const me = await api.me(refreshed.body.access_token);
      expect([me.status, me.body.id]).toEqual([200, user.id]);

      const replay = await api.refresh(pair.refresh_token);
      expect(replay.status).toBe(401);
      expect(replay.body.detail).toBe('Token revoked');

      expect((await api.refresh(refreshed.body.refresh_token)).status).toBe(200);
    });

    it('N6 [RACE]: 10 parallel refreshes of one token → exactly one 200 and nine 401 "Token revoked", 20 rounds', async () => {
      const user = await createUser(app.dataSource);
      let refreshToken = (await loginPair(app, user)).refresh_token;
      for (let round = 0; round < 20; round++) {
        const api = client(app);
        const responses = await Promise.all(Array.from({ length: 10 }, () => api.refresh(refreshToken)));
        const statuses = responses.map((r) => r.status).sort();
        expect({ round, statuses }).toEqual({ round, statuses: [200, ...Array<number>(9).fill(401)] });
        for (const refused of responses.filter((r) => r.status === 401)) {
          expect(refused.body.detail).toBe('Token revoked');
        }
        expect(await blacklistCount(app, jtiOf(refreshToken))).toBe(1);
        // The winner's rotated token is fresh and unused: it is the next round's token.
        refreshToken = responses.find((r) => r.status === 200)!.body.refresh_token;
      }
    });

    it('AUTH-14 (a) [SEC]: a malformed refresh token → 401 "Invalid or expired…"', async () => {
      const response = await client(app).refresh('invalid_token_here');
      expect(response.status).toBe(401);
      expect(response.body.detail).toContain('Invalid or expired');
      expect(response.body.detail).toBe(INVALID_REFRESH);
    });

    it('AUTH-14 (b) [SEC]: an access token → 401 "Invalid or expired refresh token"', async () => {
      const user = await createUser(app.dataSource);
      const pair = await loginPair(app, user);
      const response = await client(app).refresh(pair.access_token);
      expect([response.status, response.body.detail]).toEqual([401, INVALID_REFRESH]);
      expect(await blacklistRow(app, jtiOf(pair.access_token))).toBeUndefined();
    });

    it('AUTH-14 [SEC][FORGE]: expired, foreign-signed, iss-less, other-iss and jti-less refresh tokens → 401 "Invalid or expired refresh token"', async () => {
      const user = await createUser(app.dataSource);
      const api = client(app);
      const refresh = { sub: user.id, type: 'refresh' };
      const tokens = [
        forgeAt(BASE - REFRESH_LIFETIME_S * SECOND, refresh),
        forgeAt(BASE, refresh, `${TEST_JWT_SECRET}-but-another-one`),
        forgeAt(BASE, { ...refresh, iss: undefined }),
        forgeAt(BASE, { ...refresh, iss: 'other' }),
        forgeAt(BASE, { ...refresh, jti: undefined }),
        unsignedToken({
          ...refresh,
          jti: randomUUID(),
          iat: BASE / 1000,
          exp: BASE / 1000 + 900,
          iss: 'emecano',
        }),
      ];
      for (const [index, token] of tokens.entries()) {
        const response = await api.refresh(token);
        expect({ index, status: response.status, detail: response.body.detail }).toEqual({
          index,
          status: 401,
          detail: INVALID_REFRESH,
        });
      }
    });

    it('AUTH-14 (c) [SEC][FORGE]: a refresh token for a missing user → 401 "User not found" and its jti is not left blacklisted', async () => {
      const api = client(app);
      for (const sub of [randomUUID(), 'not-a-uuid']) {
        const token = forgeAt(BASE, { sub, type: 'refresh' });
        const response = await api.refresh(token);
        expect([response.status, response.body.detail]).toEqual([401, 'User not found']);
        expect(await blacklistRow(app, jtiOf(token))).toBeUndefined();
      }
    });

    it('§2.1-5 [SEC]: a refresh token whose jti is already blacklisted → 401 "Token revoked"', async () => {
      const user = await createUser(app.dataSource);
      const token = forgeAt(BASE, { sub: user.id, type: 'refresh' });
      await app.dataSource.query('INSERT INTO blacklisted_tokens (jti, expires_at) VALUES ($1, $2)', [
        jtiOf(token),
        new Date(BASE + REFRESH_LIFETIME_S * SECOND),
      ]);
      const response = await client(app).refresh(token);
      expect([response.status, response.body.detail]).toEqual([401, 'Token revoked']);
    });

    it('§10 refresh [SEC]: a deactivated user → 403 "Account has been deactivated", token not consumed', async () => {
      const user = await createUser(app.dataSource);
      const pair = await loginPair(app, user);
      await deactivate(app, user.id);
      const response = await client(app).refresh(pair.refresh_token);
      expect(response.status).toBe(403);
      expect(response.body.detail).toBe('Account has been deactivated');
      expect(await blacklistRow(app, jtiOf(pair.refresh_token))).toBeUndefined();
    });
  });

  describe('logout (§2.1-10)', () => {
    it('§2.1-10 logout: 200 "logged_out", the access and the body\'s refresh jti are blacklisted until their exp', async () => {
      const user = await createUser(app.dataSource);
      const pair = await loginPair(app, user);
      const api = client(app);

      const response = await api.logout(pair.access_token, { refresh_token: pair.refresh_token });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'logged_out' });

      for (const token of [pair.access_token, pair.refresh_token]) {
        const row = await blacklistRow(app, jtiOf(token));
        expect(row?.expires_at.getTime()).toBe(claimsOf(token).exp! * 1000);
      }
      const refresh = await api.refresh(pair.refresh_token);
      expect([refresh.status, refresh.body.detail]).toEqual([401, 'Token revoked']);
      expect(
        app.logs.records().some((r) => r.event === 'user_logged_out' && r.jti === jtiOf(pair.access_token)),
      ).toBe(true);
    });

    it('§2.1-10 logout: a second logout with the same access token → 200 "already_logged_out"', async () => {
      const token = forgeAt(BASE, { sub: randomUUID() });
      const api = client(app);
      expect((await api.logout(token)).body).toEqual({ status: 'logged_out' });
      const again = await api.logout(token);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'already_logged_out' });
      expect(await blacklistCount(app, jtiOf(token))).toBe(1);
    });

    it('§2.1-10 logout: the user row is not loaded (a token for a missing or deactivated user logs out)', async () => {
      const deactivated = await createUser(app.dataSource, { isActive: false });
      const api = client(app);
      for (const sub of [randomUUID(), deactivated.id]) {
        const response = await api.logout(forgeAt(BASE, { sub }));
        expect([response.status, response.body]).toEqual([200, { status: 'logged_out' }]);
      }
    });

    it('§2.1-10 logout: a refresh token as bearer → 400 "Only access tokens can be used for logout"', async () => {
      const token = forgeAt(BASE, { sub: randomUUID(), type: 'refresh' });
      const response = await client(app).logout(token);
      expect([response.status, response.body.detail]).toEqual([
        400,
        'Only access tokens can be used for logout',
      ]);
      expect(await blacklistRow(app, jtiOf(token))).toBeUndefined();
    });

    it('§2.1-10 logout: an access token without jti → 400 "Token does not contain a jti claim"', async () => {
      const response = await client(app).logout(forgeAt(BASE, { sub: randomUUID(), jti: undefined }));
      expect([response.status, response.body.detail]).toEqual([400, 'Token does not contain a jti claim']);
    });

    it('§2.1-10 logout [SEC]: a garbage, foreign-signed or expired bearer → 401 "Invalid authentication token"', async () => {
      const api = client(app);
      for (const token of [
        'garbage',
        forgeAt(BASE, { sub: randomUUID() }, `${TEST_JWT_SECRET}-but-another-one`),
        forgeAt(BASE - ACCESS_LIFETIME_S * SECOND, { sub: randomUUID() }),
        forgeAt(BASE, { sub: randomUUID(), iss: 'other' }),
      ]) {
        const response = await api.logout(token);
        expect([response.status, response.body.detail]).toEqual([401, INVALID_AUTH_TOKEN]);
      }
    });

    it('§2.1-10 logout §0: no Authorization → 403 "Not authenticated"; another scheme → 403', async () => {
      const api = client(app);
      const missing = await api.logout();
      expect([missing.status, missing.body.detail]).toEqual([403, 'Not authenticated']);
      const basic = await app.http
        .post('/auth/logout')
        .set('X-Forwarded-For', api.ip)
        .set('Authorization', 'Basic abc');
      expect([basic.status, basic.body.detail]).toEqual([403, 'Invalid authentication credentials']);
    });

    it('§2.1-10 logout: no body at all, an empty body or a null refresh_token → 200', async () => {
      const api = client(app);
      for (const body of [undefined, {}, { refresh_token: null }]) {
        const token = forgeAt(BASE, { sub: randomUUID() });
        const response = await api.logout(token, body);
        expect({ body, status: response.status, reply: response.body }).toEqual({
          body,
          status: 200,
          reply: { status: 'logged_out' },
        });
        expect(await blacklistRow(app, jtiOf(token))).toBeDefined();
      }
    });

    it('§2.1-10 logout: an invalid refresh_token in the body is ignored (200) and logged as a warning', async () => {
      const token = forgeAt(BASE, { sub: randomUUID() });
      const response = await client(app).logout(token, { refresh_token: 'not-a-token' });
      expect([response.status, response.body]).toEqual([200, { status: 'logged_out' }]);
      expect(await blacklistRow(app, jtiOf(token))).toBeDefined();
      expect(app.logs.records().some((r) => r.event === 'invalid_refresh_token_on_logout')).toBe(true);
    });

    it('§5 logout rate limit: 10 per minute in production, the 11th → 429 {"error": …}', async () => {
      const prod = await ctx.startApp({ config: productionTestConfig({ TRUSTED_PROXY_COUNT: '1' }) });
      const api = client(prod);
      // The production app runs on the system clock, like forgeToken's defaults.
      for (let i = 0; i < 10; i++) {
        const response = await api.logout(forgeToken({ sub: randomUUID() }));
        expect([response.status, response.body]).toEqual([200, { status: 'logged_out' }]);
      }
      const refused = await api.logout(forgeToken({ sub: randomUUID() }));
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ error: 'Rate limit exceeded: 10 per 1 minute' });
    });
  });
});
