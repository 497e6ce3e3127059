import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { deleteOneBatch, OLDER_THAN_DAYS } from '../../scheduling/delete-in-batches';
import { Job, type ScheduledJob } from '../../scheduling/job';

const RETENTION_DAYS = 90;

/**
 * Daily purge of notifications older than 90 days, read or not (messaging §3.2.4, later-version
 * rule adopted for GDPR storage limitation).
 */
@Injectable()
@Job('cleanup_old_notifications', '30 3 * * *')
export class CleanupOldNotificationsJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runBatch(now: Date): Promise<number> {
    return deleteOneBatch(this.dataSource, { table: 'notifications', key: 'id', where: OLDER_THAN_DAYS }, [
      now,
      RETENTION_DAYS,
    ]);
  }
}
