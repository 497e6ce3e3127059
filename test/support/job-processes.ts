import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { type JobName } from '../../src/scheduling/job';
import { TEST_ENV } from './config';

const ROOT = resolve(__dirname, '..', '..');
const OUTPUT_KEPT = 200_000;

export interface JobProcess {
  readonly child: ChildProcess;
  /** The exit code, or null when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** What it printed (JSON log lines and the CLI's summary), the last 200 kB. */
  output(): string;
}

/**
 * A separate Node process running `jobs` to completion through the CLI, from the TypeScript sources
 * (scripts/register-typescript.js, no build needed), against `env` (DATABASE_URL, the fake Stripe…)
 * with the test defaults and the real clock. Several of them are several application instances.
 */
export function startJobProcess(jobs: JobName[], env: Record<string, string>): JobProcess {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT, 'scripts', 'register-typescript.js'),
      join(__dirname, 'processes', 'run-jobs.ts'),
      ...jobs,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...TEST_ENV, LOG_FORMAT: 'json', JOBS_ENABLED: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_KEPT));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return { child, exited, output: () => output };
}

/** Log events that mean a job failed an item or a run. */
export function jobFailures(output: string): string[] {
  return output
    .split('\n')
    .filter((line) =>
      /"level":"(error|fatal)"|"event":"(release_failed|pending_expiry_failed|job_run_failed)"/.test(line),
    );
}
