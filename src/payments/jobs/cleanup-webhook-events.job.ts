import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Job, type ScheduledJob } from '../../scheduling/job';

const BATCH_SIZE = 5_000;
/** §0.9: Stripe stops redelivering an event after 3 days; a week of rows covers every retry. */
const RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * §7.5: the daily purge of deduplication rows older than 7 days. Batched with SKIP LOCKED so that
 * several instances can run it at once without waiting on each other.
 */
@Injectable()
@Job('cleanup_webhook_events', '0 3 * * *')
export class CleanupWebhookEventsJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runBatch(now: Date): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM processed_webhook_events WHERE event_id IN (
         SELECT event_id FROM processed_webhook_events WHERE processed_at < $1
          LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
      [new Date(now.getTime() - RETENTION_MS)],
    );
    return deleted;
  }
}
