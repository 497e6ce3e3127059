import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Job, type ScheduledJob } from '../../scheduling/job';

/** §12.7 (HEAD): the audit trail is kept three years, the legal retention of admin accountability. */
const RETENTION_DAYS = 3 * 365;
const BATCH_SIZE = 5_000;

/** Monthly, day 1 at 02:00 UTC: purge audit logs older than 3 × 365 days, in batches. */
@Injectable()
@Job('cleanup_old_audit_logs', '0 2 1 * *')
export class CleanupOldAuditLogsJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runBatch(now: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM audit_logs WHERE id IN (
         SELECT id FROM audit_logs WHERE created_at < $1::timestamptz - make_interval(days => $2)
          LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
      [now, RETENTION_DAYS],
    );
    return deleted;
  }
}
