import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface JobStatus {
  job_name: string;
  last_succeeded_at: Date | null;
  last_failed_at: Date | null;
}

/**
 * When each job last succeeded or failed, in `scheduler_job_status`: in the database rather than in
 * memory so that /health/scheduler tells the truth whichever instance ran the job.
 */
@Injectable()
export class JobStatusStore {
  private readonly logger = new Logger('JobStatusStore');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Best effort: the run's work is committed already, so a failure to note it is logged, not thrown.
   * GREATEST keeps the latest time when instances finish out of order.
   */
  async record(jobName: string, outcome: 'succeeded' | 'failed', at: Date): Promise<void> {
    const column = outcome === 'succeeded' ? 'last_succeeded_at' : 'last_failed_at';
    try {
      await this.dataSource.query(
        `INSERT INTO scheduler_job_status (job_name, ${column}) VALUES ($1, $2)
         ON CONFLICT (job_name) DO UPDATE
           SET ${column} = GREATEST(scheduler_job_status.${column}, EXCLUDED.${column})`,
        [jobName, at],
      );
    } catch (error) {
      this.logger.warn({ event: 'job_status_not_recorded', job_name: jobName, err: error });
    }
  }

  async all(): Promise<JobStatus[]> {
    return this.dataSource.query(
      'SELECT job_name, last_succeeded_at, last_failed_at FROM scheduler_job_status ORDER BY job_name',
    );
  }
}
