import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { deleteOneBatch } from '../../scheduling/delete-in-batches';
import { Job, type ScheduledJob } from '../../scheduling/job';

/**
 * Daily purge of revoked tokens that have expired anyway (identity §1.5). Batched with SKIP LOCKED so
 * that several instances can run it at once without waiting on each other.
 */
@Injectable()
@Job('cleanup_blacklisted_tokens', '0 4 * * *')
export class CleanupBlacklistedTokensJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runBatch(now: Date): Promise<number> {
    return deleteOneBatch(
      this.dataSource,
      { table: 'blacklisted_tokens', key: 'id', where: 'expires_at < $1' },
      [now],
    );
  }
}
