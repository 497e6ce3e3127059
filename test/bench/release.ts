/**
 * Release benchmark (issue 9): how fast the claim-based release job completes RELEASES due bookings
 * with 1, 2 and 4 worker processes at once (`node dist/src/cli.js job:run release_overdue_payments`,
 * JOB_CONCURRENCY lanes each), against the fake Stripe answering every request after 50 ms.
 *
 * Each round seeds RELEASES `validated` bookings due a minute ago (each with an authorised
 * PaymentIntent on the fake), starts the workers together and waits for them to exit. Throughput is
 * measured from the first to the last completion recorded in `booking_transitions`, so the workers'
 * boot is not counted (the wall time, boot included, is reported too). Each release makes two
 * Stripe round trips (retrieve, then capture: §4.5), so the bound is
 * workers × JOB_CONCURRENCY / (2 × 50 ms) releases per second.
 *
 * Targets: ≥ 3× from 1 to 4 workers, and each round within 50 % of its bound (reported, not failed).
 * Returns false on a contract violation: a worker failing, a booking not completed exactly once, or
 * a PaymentIntent captured other than once.
 *
 * The CPU each release costs is reported too, from /proc over the same window: the workers, their
 * PostgreSQL backends and this process (the fake Stripe), so a change is judged on its cost, not
 * only on a wall clock that the shared machine makes noisy.
 *
 * Run it with `npm run bench` or `node test/bench/run.js release` (after `npm run build`).
 * Environment: BENCH_ADMIN_DATABASE_URL, BENCH_RELEASES (default 10000), BENCH_RELEASE_WORKERS
 * (default `1,2,4`), JOB_CONCURRENCY (default 5), BENCH_WORKER_NODE_ARGS (extra flags for the
 * workers' `node`, space-separated, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { insertDueReleases } from '../support/booking-payments';
import { FakeStripe } from '../support/fake-stripe/fake-stripe';
import { CpuMeter } from './lib/cpu';
import { BENCH_SECRETS, createLoadBenchDatabase, dropDatabase, live, ROOT, sleep } from './lib/server';

const RELEASES = Number(process.env.BENCH_RELEASES ?? 10_000);
const WORKER_COUNTS = (process.env.BENCH_RELEASE_WORKERS ?? '1,2,4').split(',').map(Number);
const CONCURRENCY = Number(process.env.JOB_CONCURRENCY ?? 5);
const STRIPE_LATENCY_MS = 50;
const STRIPE_CALLS_PER_RELEASE = 2;
const SCALING_TARGET = 3;
const BOUND_TARGET = 0.5;
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const BOOT_TIMEOUT_MS = 120_000;
const CPU_SAMPLE_MS = 250;
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

interface Round {
  workers: number;
  releasesPerS: number;
  boundPerS: number;
  /** From the gate's opening to the last completion. */
  seconds: number;
  /** From the spawn to every lane waiting at the gate. */
  bootMs: number;
  /** CPU milliseconds per release over the measure, by where they were spent. */
  cpuMs: { workers: number; postgres: number; fakeStripe: number };
  problems: string[];
}

export async function run(): Promise<boolean> {
  const loadBefore = loadavg()[0];
  const database = await createLoadBenchDatabase('release');
  const fake = await new FakeStripe({ latencyMs: STRIPE_LATENCY_MS }).start();
  const env = {
    ...BENCH_SECRETS,
    APP_ENV: 'development',
    LOG_FORMAT: 'json',
    REDIS_URL: '',
    JOBS_ENABLED: 'false',
    JOB_CONCURRENCY: String(CONCURRENCY),
    DATABASE_URL: database.url,
    ...fake.env(),
  };
  let dataSource: DataSource | undefined;
  try {
    await cli(['migrate'], env).exited;
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    const rounds: Round[] = [];
    for (const workers of WORKER_COUNTS) rounds.push(await round(dataSource, fake, env, workers));
    return printReport(rounds, loadBefore);
  } finally {
    await dataSource?.destroy();
    await fake.stop();
    await dropDatabase(database).catch((error: unknown) =>
      console.error(`could not drop ${database.name}: ${String(error)}`),
    );
  }
}

async function round(
  dataSource: DataSource,
  fake: FakeStripe,
  env: Record<string, string>,
  workers: number,
): Promise<Round> {
  const { mechanic } = await insertDueReleases(dataSource, fake, RELEASES);
  fake.reset();

  // The workers boot against a locked table: their first claims wait until every worker is ready,
  // so the measure starts with all of them (boot excluded) and ends with the last completion.
  const gate = dataSource.createQueryRunner();
  await gate.startTransaction();
  await gate.query('LOCK TABLE bookings IN EXCLUSIVE MODE');
  const started = performance.now();
  const children = Array.from({ length: workers }, () =>
    cli(['job:run', 'release_overdue_payments'], env, WORKER_NODE_ARGS),
  );
  await waitForClaimsBlocked(dataSource, workers);
  const bootMs = performance.now() - started;
  const workerCpu = new CpuMeter(async () => children.map((child) => child.pid));
  const postgresCpu = new CpuMeter(() => backendsOf(dataSource));
  const sample = () => Promise.all([workerCpu.sample(), postgresCpu.sample()]);
  await sample();
  const benchCpu = process.cpuUsage();
  await gate.commitTransaction();
  const openedAt = Date.now();
  await gate.release();
  const exited = Promise.all(children.map((child) => child.exited));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) await Promise.race([exited, sleep(CPU_SAMPLE_MS).then(sample)]);
  const fakeStripeCpu = process.cpuUsage(benchCpu);
  const outputs = await exited;

  const [span]: { completed: string; last: Date }[] = await dataSource.query(
    `SELECT count(*) AS completed, max(t.at) AS last
       FROM booking_transitions t JOIN bookings b ON b.id = t.booking_id
      WHERE b.mechanic_id = $1 AND t.to_status = 'completed'`,
    [mechanic.profileId],
  );
  const seconds = Math.max(span.last.getTime() - openedAt, 1) / 1_000;
  const captures = new Map<string, number>();
  for (const call of fake.calls(/^POST \/v1\/payment_intents\/\w+\/capture$/))
    captures.set(call.path, (captures.get(call.path) ?? 0) + 1);
  const problems = [
    ...outputs
      .filter((output) => output.code !== 0)
      .map((output) => `a worker exited ${output.code}: ${output.tail}`),
    ...(Number(span.completed) === RELEASES ? [] : [`${span.completed} of ${RELEASES} bookings completed`]),
    ...(captures.size === RELEASES && [...captures.values()].every((n) => n === 1)
      ? []
      : [
          `${captures.size} PaymentIntents captured, ${[...captures.values()].filter((n) => n > 1).length} more than once`,
        ]),
  ];
  return {
    workers,
    releasesPerS: Number(span.completed) / seconds,
    boundPerS: (workers * CONCURRENCY * 1_000) / (STRIPE_CALLS_PER_RELEASE * STRIPE_LATENCY_MS),
    seconds,
    bootMs,
    cpuMs: {
      workers: (1_000 * workerCpu.seconds()) / RELEASES,
      postgres: (1_000 * postgresCpu.seconds()) / RELEASES,
      fakeStripe: (fakeStripeCpu.user + fakeStripeCpu.system) / 1_000 / RELEASES,
    },
    problems,
  };
}

/** Every lane of every worker has booted and is waiting on the gate with its first claim. */
async function waitForClaimsBlocked(dataSource: DataSource, workers: number): Promise<void> {
  const deadline = performance.now() + BOOT_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const [{ waiting }]: { waiting: string }[] = await dataSource.query(
      `SELECT count(*) AS waiting FROM pg_locks
        WHERE NOT granted AND relation = 'bookings'::regclass
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if (Number(waiting) >= workers * CONCURRENCY) return;
    await sleep(100);
  }
  throw new Error(`the ${workers} worker(s) did not reach their first claims within ${BOOT_TIMEOUT_MS} ms`);
}

/** The PostgreSQL backends serving the bench database but not this connection. */
async function backendsOf(dataSource: DataSource): Promise<number[]> {
  const rows: { pid: number }[] = await dataSource.query(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return rows.map((row) => row.pid);
}

/** Runs the built CLI; its exit with the tail of its output for the report. */
function cli(
  args: string[],
  env: Record<string, string>,
  nodeArgs: string[] = [],
): { pid: number; exited: Promise<{ code: number | null; tail: string }> } {
  const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-2_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<{ code: number | null; tail: string }>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve({ code, tail });
    }),
  );
  return { pid: child.pid ?? 0, exited };
}

function printReport(rounds: Round[], loadBefore: number): boolean {
  const cpu = cpus();
  console.log(
    `## Release: ${RELEASES.toLocaleString('en-US')} due bookings, fake Stripe at ${STRIPE_LATENCY_MS} ms per ` +
      `request (${STRIPE_CALLS_PER_RELEASE} per release), JOB_CONCURRENCY=${CONCURRENCY} per worker process\n`,
  );
  console.log(
    `node ${process.version}, ${cpu.length} CPU (${cpu[0]?.model.trim() ?? 'unknown'}), workers, fake Stripe and ` +
      `PostgreSQL on the same machine, 1-min load average ${loadBefore.toFixed(2)} before the bench and ` +
      `${loadavg()[0].toFixed(2)} after\n`,
  );
  console.log(
    '| Workers | time to release | releases/s | bound (workers × lanes / 100 ms) | of the bound | boot | ' +
      'CPU ms per release: workers + PostgreSQL + fake Stripe = total |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rounds) {
    const { workers, postgres, fakeStripe } = r.cpuMs;
    console.log(
      `| ${r.workers} | ${r.seconds.toFixed(1)} s | ${r.releasesPerS.toFixed(1)} | ${r.boundPerS.toFixed(0)} | ` +
        `${((100 * r.releasesPerS) / r.boundPerS).toFixed(0)} % | ${(r.bootMs / 1_000).toFixed(1)} s | ` +
        `${workers.toFixed(1)} + ${postgres.toFixed(1)} + ${fakeStripe.toFixed(1)} = ` +
        `${(workers + postgres + fakeStripe).toFixed(1)} |`,
    );
  }
  const one = rounds.find((r) => r.workers === 1);
  const four = rounds.find((r) => r.workers === 4);
  if (one && four) {
    const scaling = four.releasesPerS / one.releasesPerS;
    console.log(
      `\nScaling 1 → 4 workers: ${scaling.toFixed(2)}× (target ≥ ${SCALING_TARGET}×: ` +
        `${scaling >= SCALING_TARGET ? 'met' : 'missed'})`,
    );
  }
  const belowBound = rounds.filter((r) => r.releasesPerS < BOUND_TARGET * r.boundPerS).map((r) => r.workers);
  console.log(
    `Within ${100 * BOUND_TARGET} % of the bound: ${belowBound.length === 0 ? 'every round' : `missed with ${belowBound.join(', ')} worker(s)`}`,
  );
  const problems = rounds.flatMap((r) => r.problems.map((p) => `${r.workers} worker(s): ${p}`));
  for (const problem of problems) console.log(`VIOLATION ${problem}`);
  return problems.length === 0;
}
