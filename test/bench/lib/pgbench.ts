/**
 * Shared by the benches of test/bench/: PostgreSQL's `pgbench` running a custom script against a
 * bench database, as the ceiling an endpoint is compared with. Each transaction's latency is logged
 * (`-l`) into a temporary directory, so the result has percentiles as well as pgbench's own average;
 * `-r` gives the average latency of each statement of the script.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PGBENCH: the pgbench binary (default: `pgbench` on the PATH). */
export const PGBENCH = process.env.PGBENCH ?? 'pgbench';

export interface PgbenchOptions {
  /** The database, as a libpq connection URI (pgbench takes it in place of a database name). */
  url: string;
  /** The custom script (`-f`), in pgbench's syntax. */
  script: string;
  clients: number;
  threads: number;
  durationS: number;
  /** `-M`: `extended` sends each statement with parameters as node-postgres does; default `extended`. */
  protocol?: 'simple' | 'extended' | 'prepared';
}

export interface PgbenchResult {
  tps: number;
  transactions: number;
  failed: number;
  /** In milliseconds, from the per-transaction log. */
  latency: { average: number; p50: number; p99: number; max: number };
  /** `-r`: each statement of the script with its average latency in ms. */
  statements: { averageMs: number; statement: string }[];
  /** pgbench's own report, for the record. */
  output: string;
}

const PGBENCH_GRACE_MS = 60_000;

export async function pgbench({
  url,
  script,
  clients,
  threads,
  durationS,
  protocol = 'extended',
}: PgbenchOptions): Promise<PgbenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'emecano-pgbench-'));
  try {
    const scriptFile = join(dir, 'script.sql');
    await writeFile(scriptFile, script);
    const args = [
      '--no-vacuum',
      `--client=${clients}`,
      `--jobs=${threads}`,
      `--time=${durationS}`,
      `--protocol=${protocol}`,
      '--report-per-command',
      '--log',
      `--log-prefix=${join(dir, 'tx')}`,
      `--file=${scriptFile}`,
      url,
    ];
    const output = await new Promise<string>((resolveRun, reject) => {
      execFile(
        PGBENCH,
        args,
        { timeout: durationS * 1_000 + PGBENCH_GRACE_MS, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`pgbench failed: ${error.message}\n${stderr}\n${stdout}`));
          else resolveRun(`${stdout}${stderr}`);
        },
      );
    });
    const latencies: number[] = [];
    for (const file of (await readdir(dir)).filter((name) => name.startsWith('tx.'))) {
      for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
        // client_id transaction_no time script_no time_epoch time_us …; time is µs, or "failed"/"skipped".
        const micros = Number(line.split(' ')[2]);
        if (line && Number.isFinite(micros)) latencies.push(micros / 1_000);
      }
    }
    return { ...parseReport(output), latency: summarise(latencies), output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function parseReport(output: string): Omit<PgbenchResult, 'latency' | 'output'> {
  const number = (pattern: RegExp) => {
    const value = pattern.exec(output)?.[1];
    if (value === undefined) throw new Error(`pgbench's report has no ${String(pattern)}:\n${output}`);
    return Number(value);
  };
  const statements: PgbenchResult['statements'] = [];
  const perCommand = output.split(/statement latencies in milliseconds[^\n]*\n/)[1] ?? '';
  for (const line of perCommand.split('\n')) {
    // "         0.123           0  SELECT …" (latency, failures, statement)
    const match = /^\s+([0-9.]+)\s+(?:[0-9]+\s+)?(.+)$/.exec(line);
    if (match) statements.push({ averageMs: Number(match[1]), statement: match[2].trim() });
  }
  return {
    tps: number(/^tps = ([0-9.]+)/m),
    transactions: number(/number of transactions actually processed: ([0-9]+)/),
    failed: /number of failed transactions: ([0-9]+)/.test(output)
      ? number(/number of failed transactions: ([0-9]+)/)
      : 0,
    statements,
  };
}

function summarise(values: number[]): PgbenchResult['latency'] {
  if (values.length === 0) return { average: 0, p50: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return {
    average: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1],
  };
}
