import { Injectable } from '@nestjs/common';
import { JobRegistry } from '../../scheduling/job-registry';
import { JobStatusStore } from '../../scheduling/job-status.store';
import { SchedulerStatus, type SchedulerState } from '../../scheduling/scheduler-status';

export interface ScheduledJobHealth {
  name: string;
  /** UTC cron expression of its trigger. */
  schedule: string;
  last_succeeded_at: string | null;
  last_failed_at: string | null;
}

export interface SchedulerHealthBody {
  /** Whether this process fires the triggers (JOBS_ENABLED); other instances may. */
  scheduler: SchedulerState;
  /** Every scheduled job, with its last outcomes in any instance (scheduler_job_status). */
  jobs: ScheduledJobHealth[];
}

/** The scheduler detail of /health: one read of a table with a row per job, so it stays fast. */
@Injectable()
export class SchedulerHealth {
  constructor(
    private readonly registry: JobRegistry,
    private readonly status: JobStatusStore,
    private readonly scheduler: SchedulerStatus,
  ) {}

  async check(): Promise<SchedulerHealthBody> {
    const recorded = new Map((await this.status.all()).map((row) => [row.job_name, row]));
    const jobs = this.registry
      .definitions()
      .flatMap(({ name, schedule }) => (schedule ? [{ name, schedule }] : []))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ name, schedule }) => ({
        name,
        schedule,
        last_succeeded_at: recorded.get(name)?.last_succeeded_at?.toISOString() ?? null,
        last_failed_at: recorded.get(name)?.last_failed_at?.toISOString() ?? null,
      }));
    return { scheduler: this.scheduler.state(), jobs };
  }
}
