/**
 * Boot benchmark: time from `node dist/src/main.js` being spawned to its first `GET /health` = 200, and
 * from SIGTERM to exit (runtime contract: exit 0 within 10 s), for
 *   (a) an external PostgreSQL — a fresh database created and dropped by the bench, 5 runs, the first
 *       one applying the migrations;
 *   (b) zero config — no DATABASE_URL, so the embedded PostgreSQL under var/pgdata — 3 warm runs (plus
 *       a cold first run, initdb included, when var/pgdata does not exist yet).
 * Run it with `npm run bench` or `node test/bench/run.js boot` (after `npm run build`). Prints a
 * Markdown table. Every wait is bounded and children are stopped on failure.
 *
 * Environment: BENCH_ADMIN_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres), the
 * server on which the bench creates its database; REDIS_URL is passed through.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
/** Fixed in src/database/open-database.ts (EMBEDDED_DATA_DIR, EMBEDDED_PORT). */
const EMBEDDED_DATA_DIR = join(ROOT, 'var', 'pgdata');
const EMBEDDED_PORT = 54329;

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const EXTERNAL_RUNS = 5;
const EMBEDDED_RUNS = 3;
const POLL_INTERVAL_MS = 25;
const REQUEST_TIMEOUT_MS = 2_000;
/** A cold embedded start runs initdb; nothing should take longer than this to answer. */
const BOOT_TIMEOUT_MS = 90_000;
/** Runtime contract: clean exit within 10 s of SIGTERM. We wait a little longer before SIGKILL. */
const STOP_CONTRACT_MS = 10_000;
const STOP_TIMEOUT_MS = 15_000;
const TARGET_EXTERNAL_MS = 5_000;

const JWT_SECRET = 'bench-jwt-secret-not-for-production-0001';
const CHECK_IN_HMAC_KEY = 'bench-check-in-hmac-key-not-for-prod-001';

interface Sample {
  scenario: string;
  run: string;
  healthyMs: number;
  stopMs: number;
  exit: string;
  ok: boolean;
}

const live = new Set<ChildProcess>();

export async function run(): Promise<boolean> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const stopChildren = () => {
    for (const child of live) child.kill('SIGTERM');
  };
  process.once('exit', stopChildren);
  process.once('SIGINT', () => {
    stopChildren();
    process.exit(130);
  });

  const samples: Sample[] = [];
  const notes: string[] = [];
  if (existsSync(join(ROOT, '.env')))
    notes.push('note: a .env file exists at the project root and is read by the server');

  await benchExternal(samples, notes);
  await benchEmbedded(samples, notes);

  printReport(samples, notes);
  return samples.every((s) => s.ok);
}

async function benchExternal(samples: Sample[], notes: string[]): Promise<void> {
  const scenario = 'external PostgreSQL';
  const database = `emecano_bench_${process.pid}_${Date.now()}`;
  try {
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${database}`));
  } catch (error) {
    notes.push(`${scenario}: skipped, cannot create a database on ${redact(ADMIN_URL)} (${String(error)})`);
    return;
  }
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}`;
    for (let i = 1; i <= EXTERNAL_RUNS; i++) {
      const label = i === 1 ? '1 (applies migrations)' : String(i);
      samples.push(await bootOnce(scenario, label, { DATABASE_URL: url.toString() }));
    }
  } finally {
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).catch(
      (error: unknown) => notes.push(`${scenario}: could not drop ${database}: ${String(error)}`),
    );
  }
}

async function benchEmbedded(samples: Sample[], notes: string[]): Promise<void> {
  const scenario = 'embedded (var/pgdata)';
  if (!(await portIsFree(EMBEDDED_PORT))) {
    notes.push(
      `${scenario}: skipped, port ${EMBEDDED_PORT} is in use (another embedded PostgreSQL running?)`,
    );
    return;
  }
  if (!existsSync(join(EMBEDDED_DATA_DIR, 'PG_VERSION'))) {
    samples.push(await bootOnce(scenario, 'cold (initdb + migrations)', {}));
  }
  for (let i = 1; i <= EMBEDDED_RUNS; i++) {
    samples.push(await bootOnce(scenario, `warm ${i}`, {}));
  }
}

/** One start → healthy → SIGTERM → exit cycle of the built server on a free port. */
async function bootOnce(scenario: string, label: string, extraEnv: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  Object.assign(env, {
    APP_ENV: 'development',
    JOBS_ENABLED: 'true',
    JWT_SECRET,
    CHECK_IN_HMAC_KEY,
    PORT: String(port),
    ...extraEnv,
  });

  const started = performance.now();
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const output = keepTail(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolveExit({ code, signal });
    }),
  );

  let healthyMs: number;
  try {
    healthyMs = await waitHealthy(port, started, exited);
  } catch (error) {
    await stop(child, exited);
    throw new Error(
      `${scenario} ${label}: ${(error as Error).message}\n--- server output (tail) ---\n${output()}`,
    );
  }

  const stopping = performance.now();
  const result = await stop(child, exited);
  const stopMs = performance.now() - stopping;
  const exit = result.killed ? 'SIGKILL (did not stop)' : (result.signal ?? String(result.code));
  const ok = !result.killed && result.code === 0 && stopMs <= STOP_CONTRACT_MS;
  if (!ok) console.error(`${scenario} ${label}: unclean stop\n--- server output (tail) ---\n${output()}`);
  return { scenario, run: label, healthyMs, stopMs, exit, ok };
}

async function waitHealthy(port: number, started: number, exited: Promise<unknown>): Promise<number> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = started + BOOT_TIMEOUT_MS;
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (hasExited) throw new Error(`the server exited before answering /health (last: ${last})`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String((error as Error).cause ?? error);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`no GET /health = 200 within ${BOOT_TIMEOUT_MS} ms (last: ${last})`);
}

/** SIGTERM, then SIGKILL if the process is still there after STOP_TIMEOUT_MS. */
async function stop(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
  if (child.exitCode !== null || child.signalCode !== null) return { ...(await exited), killed: false };
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout('timeout'), STOP_TIMEOUT_MS);
  });
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (first !== 'timeout') return { ...first, killed: false };
  child.kill('SIGKILL');
  return { ...(await exited), killed: true };
}

function keepTail(child: ChildProcess, maxChars = 8_000): () => string {
  let tail = '';
  const append = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-maxChars);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => tail;
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function printReport(samples: Sample[], notes: string[]): void {
  const ms = (value: number) => Math.round(value).toLocaleString('en-US');
  console.log('## Boot: spawn of `node dist/src/main.js` → first `GET /health` = 200, then SIGTERM → exit\n');
  console.log(
    `node ${process.version}, ${cpus().length} CPU, REDIS_URL=${process.env.REDIS_URL ?? '(default)'}, ` +
      `poll every ${POLL_INTERVAL_MS} ms\n`,
  );
  console.log('| Scenario | Run | Healthy after (ms) | SIGTERM → exit (ms) | Exit code |');
  console.log('|---|---|---:|---:|---|');
  for (const scenario of [...new Set(samples.map((s) => s.scenario))]) {
    const rows = samples.filter((s) => s.scenario === scenario);
    for (const s of rows) {
      const flag = s.ok ? '' : ' ⚠ contract';
      console.log(`| ${s.scenario} | ${s.run} | ${ms(s.healthyMs)} | ${ms(s.stopMs)} | ${s.exit}${flag} |`);
    }
    // The cold embedded start is shown on its own; the median is that of the repeated runs.
    const repeated = rows.filter((s) => !s.run.startsWith('cold'));
    console.log(
      `| ${scenario} | **median** | **${ms(median(repeated.map((s) => s.healthyMs)))}** | ` +
        `**${ms(median(repeated.map((s) => s.stopMs)))}** | |`,
    );
  }
  console.log('');
  const external = samples.filter((s) => s.scenario === 'external PostgreSQL').map((s) => s.healthyMs);
  if (external.length > 0) {
    const value = median(external);
    const verdict = value < TARGET_EXTERNAL_MS ? 'met' : 'MISSED';
    console.log(`Target < ${ms(TARGET_EXTERNAL_MS)} ms to healthy with an external database: ${verdict}.`);
  }
  const unclean = samples.filter((s) => !s.ok);
  console.log(
    unclean.length === 0
      ? `Every run exited 0 within ${STOP_CONTRACT_MS / 1000} s of SIGTERM (runtime contract).`
      : `${unclean.length} run(s) broke the runtime contract (exit 0 within ${STOP_CONTRACT_MS / 1000} s of SIGTERM).`,
  );
  for (const note of notes) console.log(`\n${note}`);
}
