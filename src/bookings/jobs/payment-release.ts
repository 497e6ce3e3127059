import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { forEachConcurrently } from '../../common/concurrency/for-each-concurrently';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { inTransaction } from '../../database/transactions';
import { type BatchOutcome, type JobRunOptions } from '../../scheduling/job';
import {
  type AppliedTransition,
  BookingTransitionRunner,
} from '../commands/transitions/booking-transition.runner';
import { type BookingEntity } from '../persistence/booking.entity';
import { nextReleaseAttemptAt } from './release-backoff';
import { type BookingClaim, claimBooking, isBookingId } from './booking-claims';

/** Bookings one batch claims (§7.3's LIMIT 20, JOB-11); `JOB_CONCURRENCY` of them at a time. */
const RELEASE_BATCH_SIZE = 20;

const RELEASE = { type: 'release_payment', actor: { role: 'system' } } as const;
const RELEASE_SAVEPOINT = 'release_attempt';

type Attempt =
  | { outcome: 'released'; applied: AppliedTransition }
  /** `until` null: another lane holds the booking again and schedules what follows. */
  | { outcome: 'deferred'; until: Date | null }
  | { outcome: 'none' };

/**
 * T14 for the jobs `release_payment` and `release_overdue_payments` (D6, D12, H-008): one claim-based
 * release. Each booking is claimed in its own transaction (`FOR UPDATE SKIP LOCKED`, so any number of
 * lanes and processes share the due rows without waiting on each other), captured with `release_{id}`
 * through the transition runner while only that row is locked, and completed in the same transaction.
 * A capture that fails or is not possible (N13.15) completes nothing: the booking stays `validated`
 * and its `release_due_at` moves back by a backoff, written under the same lock.
 */
@Injectable()
export class PaymentRelease {
  private readonly logger = new Logger('PaymentRelease');
  private readonly concurrency: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: BookingTransitionRunner,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.concurrency = config.JOB_CONCURRENCY;
  }

  /**
   * One batch of the job: the bookings it claimed, and those of them whose release failed (§7.3:
   * counted as errors). `--booking` fails loudly for the operator instead.
   */
  async runBatch(now: Date, { bookingId }: JobRunOptions): Promise<BatchOutcome> {
    if (bookingId === undefined) return this.releaseDue(now);
    const attempt = await this.releaseBooking(bookingId, now);
    if (attempt.outcome === 'deferred')
      throw new Error(
        `Releasing booking ${bookingId} failed; it stays validated, next attempt at ${attempt.until?.toISOString() ?? 'the next claim'}`,
      );
    return { handled: attempt.outcome === 'released' ? 1 : 0, failed: 0 };
  }

  /** Up to RELEASE_BATCH_SIZE bookings whose `release_due_at` has passed, oldest first. */
  private async releaseDue(now: Date): Promise<BatchOutcome> {
    const batch = { handled: 0, failed: 0 };
    let exhausted = false;
    await forEachConcurrently(Array.from({ length: RELEASE_BATCH_SIZE }), this.concurrency, async () => {
      if (exhausted) return;
      const attempt = await this.attempt(now, nextDue(now));
      if (attempt.outcome === 'none') exhausted = true;
      else batch.handled++;
      if (attempt.outcome === 'deferred') batch.failed++;
    });
    return batch;
  }

  /**
   * `release_payment --booking <id>` (operators): that booking if it is `validated`, whatever its due
   * time or backoff says; anything else (unknown, another state, being released elsewhere) is skipped.
   */
  private async releaseBooking(bookingId: string, now: Date): Promise<Attempt> {
    const attempt = isBookingId(bookingId)
      ? await this.attempt(now, validated(bookingId))
      : ({ outcome: 'none' } as const);
    if (attempt.outcome === 'none')
      this.logger.log({ event: 'release_skipped', booking_id: bookingId, reason: 'not validated or busy' });
    return attempt;
  }

  private async attempt(now: Date, claim: BookingClaim): Promise<Attempt> {
    const attempt = await inTransaction(this.dataSource, async (manager): Promise<Attempt> => {
      // The savepoint comes before the claim, so that the row is locked and completed by one
      // subtransaction: a completion written by a savepoint on a row its parent had locked leaves a
      // MultiXact on the row, which every later claim walking past it must resolve (15 % of
      // PostgreSQL's CPU at 4 workers). A failure undoes everything since, the claim included.
      await manager.query(`SAVEPOINT ${RELEASE_SAVEPOINT}`);
      const booking = await claimBooking(manager, claim);
      if (!booking) return { outcome: 'none' };
      try {
        return { outcome: 'released', applied: await this.complete(manager, booking) };
      } catch (error) {
        await manager.query(`ROLLBACK TO SAVEPOINT ${RELEASE_SAVEPOINT}`);
        return this.defer(manager, booking.id, now, error);
      }
    });
    // M-030: payments_captured and bookings_completed once the completion is committed.
    if (attempt.outcome === 'released') this.transitions.count(attempt.applied);
    return attempt;
  }

  /**
   * After a failed attempt: the booking is claimed again to move its next attempt back under its
   * lock. In the instant since the rollback freed it, another lane may have taken it: that lane's
   * attempt decides, and this one schedules nothing.
   */
  private async defer(
    manager: EntityManager,
    bookingId: string,
    now: Date,
    error: unknown,
  ): Promise<Attempt> {
    const booking = await claimBooking(manager, validated(bookingId));
    const until = booking ? await deferRelease(manager, bookingId, now) : null;
    this.logger.warn({ event: 'release_failed', booking_id: bookingId, next_attempt_at: until, err: error });
    return { outcome: 'deferred', until };
  }

  private async complete(manager: EntityManager, booking: BookingEntity): Promise<AppliedTransition> {
    const applied = await this.transitions.apply(manager, booking, RELEASE);
    if (!applied.ok) throw new Error(`The machine refused the release: ${applied.message}`);
    return applied;
  }
}

/** The oldest due booking nobody else holds. */
function nextDue(now: Date): BookingClaim {
  return {
    where: "status = 'validated' AND release_due_at <= $1",
    orderBy: 'release_due_at',
    parameters: [now],
  };
}

function validated(bookingId: string): BookingClaim {
  return { where: "id = $1 AND status = 'validated'", parameters: [bookingId] };
}

/** Counts the failure and moves the next attempt back (release-backoff.ts); the row is locked. */
async function deferRelease(manager: EntityManager, bookingId: string, now: Date): Promise<Date> {
  const [{ release_attempts: failedBefore }]: { release_attempts: number }[] = await manager.query(
    'SELECT release_attempts FROM bookings WHERE id = $1',
    [bookingId],
  );
  const until = nextReleaseAttemptAt(now, failedBefore + 1);
  await manager.query('UPDATE bookings SET release_attempts = $2, release_due_at = $3 WHERE id = $1', [
    bookingId,
    failedBefore + 1,
    until,
  ]);
  return until;
}
