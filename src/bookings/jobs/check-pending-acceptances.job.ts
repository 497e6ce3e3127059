import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { forEachConcurrently } from '../../common/concurrency/for-each-concurrently';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { inTransaction } from '../../database/transactions';
import { type BatchOutcome, Job, type ScheduledJob } from '../../scheduling/job';
import { BookingTransitionRunner } from '../commands/transitions/booking-transition.runner';
import { claimBooking } from './booking-claims';

/** §7.2: ids collected per page. */
const PAGE_SIZE = 20;

const EXPIRE = { type: 'expire_pending', actor: { role: 'system' } } as const;

interface Overdue {
  id: string;
  /** As text: a JavaScript Date would drop the microseconds, and the cursor would repeat a row. */
  created_at: string;
}

/**
 * T5, §7.2 with N13.16 and the [REC] rows: requests the mechanic left unanswered past
 * MECHANIC_ACCEPTANCE_TIMEOUT_HOURS are cancelled through the machine's `expire_pending` (hold
 * released with `pending_expire_{id}`, 100 % refund fields, slot released, buyer notified,
 * `bookings_cancelled{cancelled_by="mechanic"}`, no penalty).
 *
 * Two phases: ids are collected without locks, then each booking is re-locked (`SKIP LOCKED`) and
 * re-checked in its own transaction, so a mechanic's accept that committed meanwhile is never
 * overwritten. A batch walks the overdue set once, page by page, and counts what it expired and what
 * failed: a booking whose Stripe call fails stays pending, counts as an error, and is retried by the
 * next pass, without holding up the ones behind it (JOB-03); a pass that expires nothing ends the run.
 */
@Injectable()
@Job('check_pending_acceptances', '*/5 * * * *')
export class CheckPendingAcceptancesJob implements ScheduledJob {
  private readonly logger = new Logger('PendingExpiry');
  private readonly timeoutMs: number;
  private readonly concurrency: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: BookingTransitionRunner,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.timeoutMs = config.MECHANIC_ACCEPTANCE_TIMEOUT_HOURS * 3_600_000;
    this.concurrency = config.JOB_CONCURRENCY;
  }

  async runBatch(now: Date): Promise<BatchOutcome> {
    const createdBefore = new Date(now.getTime() - this.timeoutMs);
    const batch = { handled: 0, failed: 0 };
    for (let page = await this.overdue(createdBefore); page.length > 0;) {
      await forEachConcurrently(page, this.concurrency, async ({ id }) => {
        const outcome = await this.expire(id, createdBefore);
        if (outcome === 'expired') batch.handled++;
        if (outcome === 'failed') batch.failed++;
      });
      page = await this.overdue(createdBefore, page[page.length - 1]);
    }
    return batch;
  }

  /** Phase 1: a page of overdue ids in (created_at, id) order, after `after`; no locks taken. */
  private overdue(createdBefore: Date, after?: Overdue): Promise<Overdue[]> {
    return this.dataSource.query(
      `SELECT id, created_at::text AS created_at FROM bookings
        WHERE status = 'pending_acceptance' AND created_at < $1
          AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
        ORDER BY created_at, id LIMIT ${PAGE_SIZE}`,
      [createdBefore, after?.created_at ?? null, after?.id ?? null],
    );
  }

  /** Phase 2: `skipped` when the booking moved on or another process holds it. */
  private async expire(bookingId: string, createdBefore: Date): Promise<'expired' | 'skipped' | 'failed'> {
    try {
      const applied = await inTransaction(this.dataSource, async (manager) => {
        const booking = await claimBooking(manager, {
          where: "id = $1 AND status = 'pending_acceptance' AND created_at < $2",
          parameters: [bookingId, createdBefore],
        });
        if (!booking) return null;
        const result = await this.transitions.apply(manager, booking, EXPIRE);
        return result.ok ? result : null;
      });
      if (!applied) return 'skipped';
      this.transitions.count(applied);
      return 'expired';
    } catch (error) {
      // Rolled back: the booking is still pending with its slot, and the next pass retries it.
      this.logger.warn({ event: 'pending_expiry_failed', booking_id: bookingId, err: error });
      return 'failed';
    }
  }
}
