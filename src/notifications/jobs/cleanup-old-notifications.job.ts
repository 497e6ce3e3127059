import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Job, type ScheduledJob } from '../../scheduling/job';

const RETENTION_DAYS = 90;
const BATCH_SIZE = 5_000;

/**
 * Daily purge of notifications older than 90 days, read or not (messaging §3.2.4, later-version
 * rule adopted for GDPR storage limitation).
 */
@Injectable()
@Job('cleanup_old_notifications', '30 3 * * *')
export class CleanupOldNotificationsJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runBatch(now: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM notifications WHERE id IN (
         SELECT id FROM notifications WHERE created_at < $1::timestamptz - make_interval(days => $2)
          LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
      [now, RETENTION_DAYS],
    );
    return deleted;
  }
}
