import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Job, type ScheduledJob } from '../../scheduling/job';

const STALE_AFTER_DAYS = 180;
const BATCH_SIZE = 5_000;

/**
 * Weekly: forget the push token of accounts untouched for 180 days (messaging §3.2.4); a device
 * still in use registers its token again at its next login.
 */
@Injectable()
@Job('cleanup_expired_push_tokens', '0 4 * * 0')
export class CleanupExpiredPushTokensJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `updated_at` is left alone: clearing the token is not activity of the user's. */
  async runBatch(now: Date): Promise<number> {
    const [, cleared]: [unknown, number] = await this.dataSource.query(
      `UPDATE users SET expo_push_token = NULL WHERE id IN (
         SELECT id FROM users
          WHERE expo_push_token IS NOT NULL AND updated_at < $1::timestamptz - make_interval(days => $2)
          LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
      [now, STALE_AFTER_DAYS],
    );
    return cleared;
  }
}
