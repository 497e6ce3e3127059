import { performance } from 'node:perf_hooks';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter, Histogram } from 'prom-client';
import { Clock } from '../common/clock/clock';
import { METRIC } from '../observability/metrics/metrics';
import { type JobName, type JobRunOptions, type ScheduledJob } from './job';
import { JobLock } from './job-lock';
import { JobRegistry } from './job-registry';
import { JobStatusStore } from './job-status.store';

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
 * CLI and the tests alike; records the run's metrics and its outcome in `scheduler_job_status`, and
 * lets shutdown wait for the batch in flight (SIGTERM finishes it, then stops the run).
 */
@Injectable()
export class JobRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('JobRunner');
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    private readonly registry: JobRegistry,
    private readonly clock: Clock,
    private readonly lock: JobLock,
    private readonly status: JobStatusStore,
    @InjectMetric(METRIC.schedulerJobRuns) private readonly runs: Counter<string>,
    @InjectMetric(METRIC.schedulerJobRows) private readonly rows: Counter<string>,
    @InjectMetric(METRIC.schedulerJobDuration) private readonly duration: Histogram<string>,
  ) {}

  /** Runs the job now, whatever other processes do (the CLI, the tests). */
  async run(name: JobName | string, options: JobRunOptions = {}): Promise<number> {
    const job = this.registry.get(name);
    if (!job) throw new UnknownJobError(name, this.registry.names());
    return this.tracked(this.runToCompletion(name, job, options));
  }

  /**
   * A trigger's run: under the job's `scheduler_lock:<name>` unless the job opted out (I-14).
   * Null when another process holds the lock and the run was skipped.
   */
  async runPeriodic(name: JobName | string): Promise<number | null> {
    if (this.registry.definition(name)?.exclusive === false) return this.run(name);
    const outcome = await this.lock.exclusively(name, () => this.run(name));
    if (outcome.ran) return outcome.value;
    this.logger.log({ event: 'job_skipped', job_name: name, reason: 'locked_by_another_process' });
    return null;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private async tracked<T>(run: Promise<T>): Promise<T> {
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  private async runToCompletion(name: string, job: ScheduledJob, options: JobRunOptions): Promise<number> {
    const started = performance.now();
    let total = 0;
    try {
      for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !this.stopping; batch++) {
        const outcome = await job.runBatch(this.clock.now(), options);
        const { handled, failed } = typeof outcome === 'number' ? { handled: outcome, failed: 0 } : outcome;
        if (failed > 0) this.runs.inc({ job_name: name, status: 'error' }, failed);
        total += handled;
        if (handled === 0 || job.runsInOnePass) break;
      }
    } catch (error) {
      this.finished(name, 'error', started, total);
      this.logger.error({ event: 'job_run_failed', job_name: name, handled: total, err: error });
      await this.status.record(name, 'failed', this.clock.now());
      throw error;
    }
    this.finished(name, 'success', started, total);
    this.logger.log({ event: 'job_run', job_name: name, handled: total });
    await this.status.record(name, 'succeeded', this.clock.now());
    return total;
  }

  private finished(name: string, status: 'success' | 'error', started: number, handled: number): void {
    this.runs.inc({ job_name: name, status });
    this.rows.inc({ job_name: name }, handled);
    this.duration.observe({ job_name: name, status }, (performance.now() - started) / 1_000);
  }
}
