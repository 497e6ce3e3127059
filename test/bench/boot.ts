/**
 * Boot benchmark: time from `node dist/src/main.js` (with `npm start`'s flags) being spawned to its
 * first `GET /health` = 200, and from SIGTERM to exit (runtime contract: exit 0 within 10 s), for
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
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN_URL,
  type BenchDatabase,
  createDatabase,
  dropDatabase,
  MAIN,
  median,
  POLL_INTERVAL_MS,
  portIsFree,
  redact,
  ROOT,
  type RunningServer,
  startServer,
  stopServer,
} from './lib/server';

/** Fixed in src/database/open-database.ts (EMBEDDED_DATA_DIR, EMBEDDED_PORT). */
const EMBEDDED_DATA_DIR = join(ROOT, 'var', 'pgdata');
const EMBEDDED_PORT = 54329;

const EXTERNAL_RUNS = 5;
const EMBEDDED_RUNS = 3;
/** Runtime contract: clean exit within 10 s of SIGTERM (stopServer waits a little longer before SIGKILL). */
const STOP_CONTRACT_MS = 10_000;
const TARGET_EXTERNAL_MS = 5_000;

interface Sample {
  scenario: string;
  run: string;
  healthyMs: number;
  stopMs: number;
  exit: string;
  ok: boolean;
}

export async function run(): Promise<boolean> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);

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
  let database: BenchDatabase;
  try {
    database = await createDatabase('boot');
  } catch (error) {
    notes.push(`${scenario}: skipped, cannot create a database on ${redact(ADMIN_URL)} (${String(error)})`);
    return;
  }
  try {
    for (let i = 1; i <= EXTERNAL_RUNS; i++) {
      const label = i === 1 ? '1 (applies migrations)' : String(i);
      samples.push(await bootOnce(scenario, label, { DATABASE_URL: database.url }));
    }
  } finally {
    await dropDatabase(database).catch((error: unknown) =>
      notes.push(`${scenario}: could not drop ${database.name}: ${String(error)}`),
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
  let server: RunningServer;
  try {
    server = await startServer({ JOBS_ENABLED: 'true', ...extraEnv });
  } catch (error) {
    throw new Error(`${scenario} ${label}: ${(error as Error).message}`);
  }
  const result = await stopServer(server);
  const exit = result.killed ? 'SIGKILL (did not stop)' : (result.signal ?? String(result.code));
  const ok = !result.killed && result.code === 0 && result.ms <= STOP_CONTRACT_MS;
  if (!ok)
    console.error(`${scenario} ${label}: unclean stop\n--- server output (tail) ---\n${server.output()}`);
  return { scenario, run: label, healthyMs: server.healthyMs, stopMs: result.ms, exit, ok };
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
