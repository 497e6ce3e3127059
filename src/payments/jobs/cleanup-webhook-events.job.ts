import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { deleteOneBatch } from '../../scheduling/delete-in-batches';
import { Job, type ScheduledJob } from '../../scheduling/job';

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
    return deleteOneBatch(
      this.dataSource,
      { table: 'processed_webhook_events', key: 'event_id', where: 'processed_at < $1' },
      [new Date(now.getTime() - RETENTION_MS)],
    );
  }
}
