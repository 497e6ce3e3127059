/**
 * One application instance of the multi-process tests, run from the TypeScript sources:
 * `node -r scripts/register-typescript.js test/support/processes/run-jobs.ts <job> …`. Each job runs
 * to completion through the operations CLI (`job:run`), all of them at once in this one process;
 * the exit code is the worst of theirs.
 */
import { runCli } from '../../../src/cli';

const jobs = process.argv.slice(2);
void Promise.all(jobs.map((name) => runCli(['job:run', name]))).then((codes) =>
  process.exit(Math.max(0, ...codes)),
);
