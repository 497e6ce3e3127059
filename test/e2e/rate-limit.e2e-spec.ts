import { type TestApp } from '../support/app';
import { productionTestConfig, testConfig } from '../support/config';
import { ContractProbeModule } from '../support/fixtures/contract-probe.module';
import { newIp } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { useTestDatabase } from '../support/test-app-context';

const redisUrl = process.env.REDIS_URL;
const itWithRedis = redisUrl ? it : it.skip;
const VALID = { email: 'a@b.fr', count: 1 };
const LIMITED = { error: 'Rate limit exceeded: 5 per 1 minute' };

describe('rate limiting (production limits: auth 5 per minute)', () => {
  const ctx = useTestDatabase();

  const app = (overrides: Record<string, string> = {}): Promise<TestApp> =>
    ctx.startApp({
      config: productionTestConfig({ REDIS_URL: '', TRUSTED_PROXY_COUNT: '1', ...overrides }),
      imports: [ContractProbeModule],
    });

  const echo = (testApp: TestApp, ip: string, body: object = VALID) =>
    testApp.http.post('/__probe/echo').set('X-Forwarded-For', ip).send(body);

  it('OPS-10: the 6th call in a minute gets 429 {"error": …} with no rate-limit headers', async () => {
    const testApp = await app();
    const ip = newIp();
    for (let i = 0; i < 5; i++) expect((await echo(testApp, ip)).status).toBe(201);
    const refused = await echo(testApp, ip);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(LIMITED);
    expect(Object.keys(refused.headers).filter((h) => /ratelimit|retry-after/i.test(h))).toEqual([]);
  });

  it('requests refused by validation do not spend quota (identity-platform §0, order of checks)', async () => {
    const testApp = await app();
    const ip = newIp();
    for (let i = 0; i < 8; i++) expect((await echo(testApp, ip, { email: 'bad' })).status).toBe(422);
    for (let i = 0; i < 5; i++) expect((await echo(testApp, ip)).status).toBe(201);
    expect((await echo(testApp, ip)).status).toBe(429);
  });

  it('counts per endpoint: an exhausted route leaves the others open', async () => {
    const testApp = await app();
    const ip = newIp();
    for (let i = 0; i < 6; i++) await echo(testApp, ip);
    expect((await echo(testApp, ip)).status).toBe(429);
    expect((await testApp.http.get('/__probe/items?limit=1').set('X-Forwarded-For', ip)).status).toBe(200);
  });

  it('OPS-09: with TRUSTED_PROXY_COUNT=1 each forwarded client has its own bucket', async () => {
    const testApp = await app();
    const ip = newIp();
    for (let i = 0; i < 6; i++) await echo(testApp, ip);
    expect((await echo(testApp, ip)).status).toBe(429);
    expect((await echo(testApp, `${newIp()}, ${newIp()}`)).status).toBe(201);
  });

  it('OPS-09: with TRUSTED_PROXY_COUNT=0 a spoofed X-Forwarded-For does not reset the limit', async () => {
    const testApp = await app({ TRUSTED_PROXY_COUNT: '0' });
    for (let i = 0; i < 5; i++) expect((await echo(testApp, newIp())).status).toBe(201);
    expect((await echo(testApp, newIp())).status).toBe(429);
  });

  it('OPS-10: development limits are the dev values (auth 30 per minute)', async () => {
    const testApp = await ctx.startApp({ config: testConfig(), imports: [ContractProbeModule] });
    const ip = newIp();
    for (let i = 0; i < 30; i++) expect((await echo(testApp, ip)).status).toBe(201);
    const refused = await echo(testApp, ip);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'Rate limit exceeded: 30 per 1 minute' });
  });

  itWithRedis(
    'H-001 OPS-11: two instances share the limit through Redis, even with a "localhost" URL',
    async () => {
      const localhostUrl = redisUrl!.replace('127.0.0.1', 'localhost');
      const [first, second] = [
        await app({ REDIS_URL: localhostUrl }),
        await app({ REDIS_URL: localhostUrl }),
      ];
      const ip = newIp();
      for (let i = 0; i < 3; i++) expect((await echo(first, ip)).status).toBe(201);
      for (let i = 0; i < 2; i++) expect((await echo(second, ip)).status).toBe(201);
      expect((await echo(second, ip)).status).toBe(429);
      expect((await echo(first, ip)).status).toBe(429);
    },
  );

  it('H-001 OPS-12: with Redis unreachable at start, the server starts and limits in memory', async () => {
    const testApp = await app({ REDIS_URL: 'redis://127.0.0.1:1/0' });
    const ip = newIp();
    for (let i = 0; i < 5; i++) expect((await echo(testApp, ip)).status).toBe(201);
    expect((await echo(testApp, ip)).status).toBe(429);
    expect(testApp.logs.text).toContain('redis_unreachable_at_start');
  });

  itWithRedis('N19: Redis dying after start degrades to memory with a warning, never a 500', async () => {
    const target = new URL(redisUrl!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    const port = await proxy.start();
    const testApp = await app({ REDIS_URL: `redis://127.0.0.1:${port}/0` });
    const ip = newIp();
    for (let i = 0; i < 2; i++) expect((await echo(testApp, ip)).status).toBe(201);
    await proxy.cut();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await echo(testApp, ip)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(testApp.logs.text).toContain('rate_limiter_memory_fallback');
  });
});
