import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { productionTestConfig, testConfig } from '../support/config';
import { JobRunner } from '../../src/scheduling/job-runner';
import { type TestApp } from '../support/app';
import { useTestDatabase } from '../support/test-app-context';

const redisUrl = process.env.REDIS_URL;
const itWithRedis = redisUrl ? it : it.skip;
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1/0';

/** Random per run: with a real Redis the /health counters are shared by every app and every run. */
const RUN = randomBytes(4).toString('hex');
let clients = 0;

/**
 * GET /health from a client address of its own, so that the 60/min limit (per IP, shared through
 * Redis across apps and runs) never interferes with a test that is not about it.
 */
function health(app: TestApp) {
  const ip = `2001:db8:${RUN.slice(0, 4)}:${RUN.slice(4)}::${(++clients).toString(16)}`;
  return app.http.get('/health').set('X-Forwarded-For', ip);
}

/** A TCP server that accepts connections and never answers: a Redis that hangs. */
async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}/0`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('GET /health (identity-platform §2.4 #37 with the HEAD semantics of §10)', () => {
  const ctx = useTestDatabase();
  let silentRedis: Awaited<ReturnType<typeof startSilentServer>>;
  const apps: Record<string, TestApp | undefined> = {};
  const app = (name: string): TestApp => {
    const found = apps[name];
    if (!found) throw new Error(`app ${name} was not started`);
    return found;
  };

  beforeAll(async () => {
    silentRedis = await startSilentServer();
    const start = async (name: string, config: ReturnType<typeof testConfig>) => {
      apps[name] = await ctx.startApp({ config });
    };
    await start('devNoRedis', testConfig());
    await start('devUnreachable', testConfig({ REDIS_URL: UNREACHABLE_REDIS }));
    await start('prodUnreachable', productionTestConfig({ REDIS_URL: UNREACHABLE_REDIS }));
    await start('prodSilent', productionTestConfig({ REDIS_URL: silentRedis.url }));
    await start('devJobsOff', testConfig({ JOBS_ENABLED: 'false' }));
    await start('prodJobsOffNoRedis', productionTestConfig({ JOBS_ENABLED: 'false' }));
    await start('devDbDown', testConfig());
    await start('prodDbDown', productionTestConfig());
    await start('devLimited', testConfig());
    await start('prodLimited', productionTestConfig());
    if (redisUrl) {
      await start('devRedis', testConfig({ REDIS_URL: redisUrl }));
      await start('prodRedis', productionTestConfig({ REDIS_URL: redisUrl }));
      await start('prodJobsOffRedis', productionTestConfig({ REDIS_URL: redisUrl, JOBS_ENABLED: 'false' }));
    }
  });

  afterAll(async () => {
    await silentRedis?.close();
  });

  describe('OPS-01: everything up', () => {
    itWithRedis(
      'OPS-01: development with DB, Redis and scheduler up → 200 ok/connected/connected/running',
      async () => {
        const response = await health(app('devRedis'));
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toEqual({
          status: 'ok',
          database: 'connected',
          redis: 'connected',
          scheduler: 'running',
        });
      },
    );

    itWithRedis('OPS-01 §10: production with everything up → 200 status ok', async () => {
      const response = await health(app('prodRedis'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok', database: 'ok', redis: 'ok', scheduler: 'ok' });
    });
  });

  describe('OPS-02: Redis down', () => {
    it('OPS-02: development with Redis unreachable → 200, redis "unavailable", status still ok', async () => {
      const response = await health(app('devUnreachable'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'ok',
        database: 'connected',
        redis: 'unavailable',
        scheduler: 'running',
      });
    });

    it('OPS-02: development without any REDIS_URL → 200, redis "unavailable", status ok', async () => {
      const response = await health(app('devNoRedis'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'ok',
        database: 'connected',
        redis: 'unavailable',
        scheduler: 'running',
      });
    });

    it('OPS-02 §10: production with Redis unreachable → 200 degraded (redis "error"), never 503', async () => {
      const response = await health(app('prodUnreachable'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'degraded', database: 'ok', redis: 'error', scheduler: 'ok' });
    });

    it('OPS-02 §2.4: production with a Redis that accepts but never answers → 200 degraded within the 5 s Docker HEALTHCHECK timeout', async () => {
      const started = Date.now();
      const response = await health(app('prodSilent'));
      const elapsed = Date.now() - started;
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'degraded', database: 'ok', redis: 'error', scheduler: 'ok' });
      expect(elapsed).toBeLessThan(5_000);
    });
  });

  describe('OPS-04: scheduler stopped', () => {
    it('OPS-04: development with JOBS_ENABLED=false → 200, scheduler "stopped", status ok', async () => {
      const response = await health(app('devJobsOff'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'ok',
        database: 'connected',
        redis: 'unavailable',
        scheduler: 'stopped',
      });
    });

    itWithRedis(
      'OPS-04 §10: production with JOBS_ENABLED=false and Redis up → 200 degraded, scheduler "error"',
      async () => {
        const response = await health(app('prodJobsOffRedis'));
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          status: 'degraded',
          database: 'ok',
          redis: 'ok',
          scheduler: 'error',
        });
      },
    );

    it('OPS-04 §10: production with JOBS_ENABLED=false and no Redis → 200 degraded, both "error"', async () => {
      const response = await health(app('prodJobsOffNoRedis'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'degraded',
        database: 'ok',
        redis: 'error',
        scheduler: 'error',
      });
    });
  });

  describe('OPS-03: database down', () => {
    for (const name of ['devDbDown', 'prodDbDown']) {
      it(`OPS-03: ${name === 'devDbDown' ? 'development' : 'production'} with the database gone → 503 unhealthy/disconnected/unknown`, async () => {
        const testApp = app(name);
        const before = await health(testApp);
        expect(before.status).toBe(200);

        await testApp.dataSource.destroy();
        const started = Date.now();
        const response = await health(testApp).set('X-Request-ID', `ops-03-${name}`);
        expect(Date.now() - started).toBeLessThan(3_500);
        expect(response.status).toBe(503);
        expect(response.body).toEqual({ status: 'unhealthy', database: 'disconnected', redis: 'unknown' });
        expect(response.headers['x-request-id']).toBe(`ops-03-${name}`);
      });
    }

    it('OPS-03: an app whose database connection was destroyed still shuts down cleanly', async () => {
      for (const name of ['devDbDown', 'prodDbDown']) {
        const testApp = app(name);
        expect(testApp.dataSource.isInitialized).toBe(false);
        await expect(testApp.close()).resolves.toBeUndefined();
      }
    });
  });

  describe('identity-platform §5: /health is limited to 60 per minute per client IP', () => {
    for (const name of ['devLimited', 'prodLimited']) {
      it(`OPS-10 §5: ${name === 'devLimited' ? 'development' : 'production'} — 60 requests from one X-Forwarded-For → 200, the 61st → 429, another IP still 200`, async () => {
        const testApp = app(name);
        for (let i = 1; i <= 60; i++) {
          const response = await testApp.http.get('/health').set('X-Forwarded-For', '203.0.113.7');
          expect({ i, status: response.status }).toEqual({ i, status: 200 });
        }
        const refused = await testApp.http.get('/health').set('X-Forwarded-For', '203.0.113.7');
        expect(refused.status).toBe(429);
        expect(refused.body).toEqual({ error: 'Rate limit exceeded: 60 per 1 minute' });
        expect(Object.keys(refused.headers).filter((h) => /ratelimit|retry-after/i.test(h))).toEqual([]);

        const other = await testApp.http.get('/health').set('X-Forwarded-For', '203.0.113.8');
        expect(other.status).toBe(200);
        expect(other.body).toEqual(
          name === 'devLimited'
            ? { status: 'ok', database: 'connected', redis: 'unavailable', scheduler: 'running' }
            : { status: 'degraded', database: 'ok', redis: 'error', scheduler: 'ok' },
        );
      });
    }
  });
  describe('GET /health/scheduler: triggers in this process, last outcome of each job in any instance', () => {
    const schedulerHealth = (testApp: TestApp) =>
      testApp.http.get('/health/scheduler').set('X-Forwarded-For', `198.51.100.${++clients % 250}`);

    it('OPS-17: lists every scheduled job with its UTC schedule; a run in another instance shows as its last success', async () => {
      const before = await schedulerHealth(app('devNoRedis'));
      expect(before.status).toBe(200);
      expect(before.body.scheduler).toBe('running');
      const names = (before.body.jobs as { name: string }[]).map((job) => job.name);
      expect(names).toEqual([...names].sort());
      expect(before.body.jobs).toContainEqual({
        name: 'send_reminders',
        schedule: '*/15 * * * *',
        last_succeeded_at: null,
        last_failed_at: null,
      });

      // An instance without triggers (JOBS_ENABLED=false) runs the job by hand, as the CLI would.
      const ranAt = Date.now();
      await app('devJobsOff').app.get(JobRunner).run('cleanup_webhook_events');

      const after = await schedulerHealth(app('devNoRedis'));
      const cleanup = (after.body.jobs as { name: string; last_succeeded_at: string | null }[]).find(
        (job) => job.name === 'cleanup_webhook_events',
      );
      expect(Date.parse(cleanup?.last_succeeded_at ?? '')).toBeGreaterThanOrEqual(ranAt - 1_000);
    });

    it('OPS-04: a process with JOBS_ENABLED=false reports "stopped" and the same job history', async () => {
      const [running, stopped] = await Promise.all([
        schedulerHealth(app('devNoRedis')),
        schedulerHealth(app('devJobsOff')),
      ]);
      expect(stopped.status).toBe(200);
      expect(stopped.body.scheduler).toBe('stopped');
      expect(stopped.body.jobs).toEqual(running.body.jobs);
    });
  });
});
