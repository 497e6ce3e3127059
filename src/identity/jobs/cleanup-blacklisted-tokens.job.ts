import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Job, type ScheduledJob } from '../../scheduling/job';

const BATCH_SIZE = 5_000;

/**
 * Daily purge of revoked tokens that have expired anyway (identity §1.5). Batched with SKIP LOCKED so
 * that several instances can run it at once without waiting on each other.
 */
@Injectable()
@Job('cleanup_blacklisted_tokens', '0 4 * * *')
export class CleanupBlacklistedTokensJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runBatch(now: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM blacklisted_tokens WHERE id IN (
         SELECT id FROM blacklisted_tokens WHERE expires_at < $1 LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
      [now],
    );
    return deleted;
  }
}
