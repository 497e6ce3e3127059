import bcrypt from 'bcrypt';
import { Client } from 'pg';
import { register } from 'prom-client';
import { runCli, EXIT } from '../../src/cli';
import { JobRunner, UnknownJobError } from '../../src/scheduling/job-runner';
import { FixedClock } from '../support/clock';
import { createTestDatabase } from '../support/database';
import {
  COUNTING_JOB,
  CountingJobModule,
  FAILING_JOB,
  JOB_ROWS_TABLE,
} from '../support/fixtures/counting-job.module';
import { useTestApps } from '../support/test-app-context';

async function sample(metricName: string, labels: Record<string, string>): Promise<number> {
  const metric = await register.getSingleMetric(metricName)?.get();
  const matches = (v: { labels: Record<string, unknown> }) =>
    Object.entries(labels).every(([name, value]) => v.labels[name] === value);
  return metric?.values.find(matches)?.value ?? 0;
}

const jobRuns = (jobName: string, status: string) =>
  sample('emecano_scheduler_job_runs_total', { job_name: jobName, status });

describe('job runner', () => {
  const clock = new FixedClock(new Date('2026-03-02T09:00:00.000Z'));
  // Three processes' worth of runners on one database.
  const ctx = useTestApps(3, { clock, imports: [CountingJobModule] });

  beforeAll(async () => {
    await ctx.apps[0].dataSource.query(
      `CREATE TABLE ${JOB_ROWS_TABLE} (id serial PRIMARY KEY, due_at timestamptz NOT NULL,
         handled_at timestamptz, handled_count int NOT NULL DEFAULT 0)`,
    );
  });

  beforeEach(async () => {
    await ctx.apps[0].dataSource.query(`TRUNCATE ${JOB_ROWS_TABLE}`);
  });

  it('runs batch after batch until no due work is left, as of the injected clock', async () => {
    await ctx.apps[0].dataSource.query(
      `INSERT INTO ${JOB_ROWS_TABLE} (due_at) SELECT $1::timestamptz FROM generate_series(1, 10)`,
      [new Date('2026-03-02T08:00:00.000Z')],
    );
    await ctx.apps[0].dataSource.query(`INSERT INTO ${JOB_ROWS_TABLE} (due_at) VALUES ($1)`, [
      new Date('2026-03-02T10:00:00.000Z'),
    ]);
    const before = await jobRuns(COUNTING_JOB, 'success');
    const rowsBefore = await sample('emecano_scheduler_job_rows_processed_total', { job_name: COUNTING_JOB });
    const timedBefore = await sample('emecano_scheduler_job_duration_seconds', {
      job_name: COUNTING_JOB,
      status: 'success',
      le: '+Inf',
    });

    expect(await ctx.apps[0].app.get(JobRunner).run(COUNTING_JOB)).toBe(10);
    expect(await jobRuns(COUNTING_JOB, 'success')).toBe(before + 1);
    expect(await sample('emecano_scheduler_job_rows_processed_total', { job_name: COUNTING_JOB })).toBe(
      rowsBefore + 10,
    );
    expect(
      await sample('emecano_scheduler_job_duration_seconds', {
        job_name: COUNTING_JOB,
        status: 'success',
        le: '+Inf',
      }),
    ).toBe(timedBefore + 1);
    expect(
      await ctx.apps[0].dataSource.query(
        'SELECT last_succeeded_at FROM scheduler_job_status WHERE job_name = $1',
        [COUNTING_JOB],
      ),
    ).toEqual([{ last_succeeded_at: clock.now() }]);

    clock.advance(2 * 3_600_000);
    expect(await ctx.apps[0].app.get(JobRunner).run(COUNTING_JOB)).toBe(1);
    clock.set('2026-03-02T09:00:00.000Z');
  });

  it('claims with SKIP LOCKED: concurrent runs in several processes handle every due row exactly once', async () => {
    for (let round = 0; round < 20; round++) {
      await ctx.apps[0].dataSource.query(`TRUNCATE ${JOB_ROWS_TABLE}`);
      await ctx.apps[0].dataSource.query(
        `INSERT INTO ${JOB_ROWS_TABLE} (due_at) SELECT $1::timestamptz FROM generate_series(1, 50)`,
        [new Date('2026-03-02T08:00:00.000Z')],
      );
      const handled = await Promise.all(ctx.apps.map((app) => app.app.get(JobRunner).run(COUNTING_JOB)));
      expect(handled.reduce((a, b) => a + b, 0)).toBe(50);
      const [counts] = await ctx.apps[0].dataSource.query(
        `SELECT min(handled_count)::int AS min, max(handled_count)::int AS max FROM ${JOB_ROWS_TABLE}`,
      );
      expect(counts).toEqual({ min: 1, max: 1 });
    }
  });

  it('counts a failing run as an error and rethrows it', async () => {
    const before = await jobRuns(FAILING_JOB, 'error');
    await expect(ctx.apps[0].app.get(JobRunner).run(FAILING_JOB)).rejects.toThrow(
      'bookings store unavailable',
    );
    expect(await jobRuns(FAILING_JOB, 'error')).toBe(before + 1);
    expect(
      await ctx.apps[0].dataSource.query(
        'SELECT last_succeeded_at, last_failed_at FROM scheduler_job_status WHERE job_name = $1',
        [FAILING_JOB],
      ),
    ).toEqual([{ last_succeeded_at: null, last_failed_at: clock.now() }]);
  });

  it('refuses an unknown job name, listing the known ones', async () => {
    const error = await ctx.apps[0].app
      .get(JobRunner)
      .run('no_such_job')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownJobError);
    const known = (error as UnknownJobError).known;
    expect(known).toEqual([...known].sort());
    expect(known).toEqual(expect.arrayContaining([COUNTING_JOB, FAILING_JOB]));
  });
});

describe('operations CLI', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const saved = { ...process.env };
  let stderr: string;
  let writeSpy: jest.SpyInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    Object.assign(process.env, testEnvFor(db.url));
  });

  beforeEach(() => {
    stderr = '';
    writeSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += chunk.toString();
      return true;
    });
  });

  afterEach(() => writeSpy.mockRestore());

  afterAll(async () => {
    process.env = saved;
    await db.drop();
  });

  it('migrate exits 0 and leaves the schema up to date', async () => {
    expect(await runCli(['migrate'])).toBe(EXIT.ok);
  });

  it('job:run runs the job to completion and exits 0', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO processed_webhook_events (event_id, processed_at) VALUES ('evt_cli', now() - interval '8 days')`,
      );
      expect(await runCli(['job:run', 'cleanup_webhook_events'])).toBe(EXIT.ok);
      const { rows } = await client.query(
        `SELECT 1 FROM processed_webhook_events WHERE event_id = 'evt_cli'`,
      );
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('job:run exits 1 when the job fails (detect_orphaned_files with the bucket unreachable)', async () => {
    Object.assign(process.env, {
      R2_ENDPOINT_URL: 'http://127.0.0.1:9',
      R2_ACCESS_KEY_ID: 'key',
      R2_SECRET_ACCESS_KEY: 'secret',
      R2_PUBLIC_URL: 'https://files.emecano.test',
    });
    try {
      expect(await runCli(['job:run', 'detect_orphaned_files'])).toBe(EXIT.failure);
    } finally {
      for (const name of ['R2_ENDPOINT_URL', 'R2_ACCESS_KEY_ID', 'R2_SECRET_ACCESS_KEY', 'R2_PUBLIC_URL']) {
        delete process.env[name];
      }
    }
  });

  it('job:run with an unknown name exits 2 and lists the known jobs', async () => {
    expect(await runCli(['job:run', 'no_such_job'])).toBe(EXIT.unknownJob);
    expect(stderr).toContain('Unknown job "no_such_job"');
  });

  it('admin:create creates a verified admin whose password verifies with bcrypt', async () => {
    const code = await runCli([
      'admin:create',
      '--email',
      'ops.admin@emecano.fr',
      '--password',
      'Str0ngPassword',
      '--first-name',
      'Alice',
    ]);
    expect(code).toBe(EXIT.ok);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT role, is_verified, is_active, first_name, password_hash FROM users WHERE email = 'ops.admin@emecano.fr'",
      );
      expect(rows).toEqual([
        expect.objectContaining({ role: 'admin', is_verified: true, is_active: true, first_name: 'Alice' }),
      ]);
      expect(await bcrypt.compare('Str0ngPassword', rows[0].password_hash)).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('admin:create exits 1 for an address already in use, and for a password the policy refuses', async () => {
    expect(
      await runCli(['admin:create', '--email', 'dup.admin@emecano.fr', '--password', 'Str0ngPassword']),
    ).toBe(EXIT.ok);
    expect(
      await runCli(['admin:create', '--email', 'dup.admin@emecano.fr', '--password', 'Str0ngPassword']),
    ).toBe(EXIT.failure);
    expect(stderr).toContain('Email already in use');
    expect(
      await runCli(['admin:create', '--email', 'weak.admin@emecano.fr', '--password', 'weakpassword']),
    ).toBe(EXIT.failure);
    expect(stderr).toContain('password:');
  });

  it('exits 1 on an unknown command', async () => {
    expect(await runCli(['frobnicate'])).toBe(EXIT.failure);
  });
});

function testEnvFor(databaseUrl: string): Record<string, string> {
  return {
    APP_ENV: 'development',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'cli-test-secret-that-is-long-enough-0123456789',
    CHECK_IN_HMAC_KEY: 'cli-test-check-in-key-long-enough-0123456789',
    REDIS_URL: '',
    JOBS_ENABLED: 'false',
  };
}
