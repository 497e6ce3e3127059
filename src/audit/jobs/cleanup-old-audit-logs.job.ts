import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { deleteOneBatch, OLDER_THAN_DAYS } from '../../scheduling/delete-in-batches';
import { Job, type ScheduledJob } from '../../scheduling/job';

/** §12.7 (HEAD): the audit trail is kept three years, the legal retention of admin accountability. */
const RETENTION_DAYS = 3 * 365;

/** Monthly, day 1 at 02:00 UTC: purge audit logs older than 3 × 365 days, in batches. */
@Injectable()
@Job('cleanup_old_audit_logs', '0 2 1 * *')
export class CleanupOldAuditLogsJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runBatch(now: Date): Promise<number> {
    return deleteOneBatch(this.dataSource, { table: 'audit_logs', key: 'id', where: OLDER_THAN_DAYS }, [
      now,
      RETENTION_DAYS,
    ]);
  }
}
