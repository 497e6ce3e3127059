import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { Clock } from '../common/clock/clock';
import { METRIC } from '../observability/metrics/metrics';
import { type JobName, type JobRunOptions } from './job';
import { JobRegistry } from './job-registry';

/** A run stops after this many batches even if work keeps appearing, so one trigger cannot run forever. */
const MAX_BATCHES_PER_RUN = 1_000;

export class UnknownJobError extends Error {
  constructor(
    readonly jobName: string,
    readonly known: string[],
  ) {
    super(`Unknown job "${jobName}". Known jobs: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownJobError';
  }
}

/**
 * Runs a job to completion (batch after batch until no due work is left) for the cron triggers, the
 * CLI and the tests alike; records `emecano_scheduler_job_runs_total` and lets shutdown wait for the
 * batches in flight.
 */
@Injectable()
export class JobRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('JobRunner');
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    private readonly registry: JobRegistry,
    private readonly clock: Clock,
    @InjectMetric(METRIC.schedulerJobRuns) private readonly runs: Counter<string>,
  ) {}

  async run(name: JobName | string, options: JobRunOptions = {}): Promise<number> {
    const job = this.registry.get(name);
    if (!job) throw new UnknownJobError(name, this.registry.names());
    const run = this.runToCompletion(name, options, job.runBatch.bind(job));
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private async runToCompletion(
    name: string,
    options: JobRunOptions,
    runBatch: (now: Date, options: JobRunOptions) => Promise<number>,
  ): Promise<number> {
    let total = 0;
    try {
      for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !this.stopping; batch++) {
        const handled = await runBatch(this.clock.now(), options);
        total += handled;
        if (handled === 0) break;
      }
      this.runs.inc({ job_name: name, status: 'success' });
      this.logger.log({ event: 'job_run', job_name: name, handled: total });
      return total;
    } catch (error) {
      this.runs.inc({ job_name: name, status: 'error' });
      this.logger.error({ event: 'job_run_failed', job_name: name, handled: total, err: error });
      throw error;
    }
  }
}
