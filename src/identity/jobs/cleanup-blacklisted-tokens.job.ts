import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Job, type ScheduledJob } from '../../scheduling/job';
import { JobRunner } from '../../scheduling/job-runner';

const BATCH_SIZE = 5_000;

/**
 * Daily purge of revoked tokens that have expired anyway (identity §1.5). Batched with SKIP LOCKED so
 * that several instances can run it at once without waiting on each other.
 */
@Injectable()
@Job('cleanup_blacklisted_tokens')
export class CleanupBlacklistedTokensJob implements ScheduledJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: JobRunner,
  ) {}

  @Cron('0 4 * * *', { name: 'cleanup_blacklisted_tokens', timeZone: 'UTC', waitForCompletion: true })
  async trigger(): Promise<void> {
    await this.runner.run('cleanup_blacklisted_tokens');
  }

  async runBatch(now: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM blacklisted_tokens WHERE id IN (
         SELECT id FROM blacklisted_tokens WHERE expires_at < $1 LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
      [now],
    );
    return deleted;
  }
}
