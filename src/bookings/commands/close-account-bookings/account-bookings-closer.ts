import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { type UserEntity } from '../../../identity/persistence/user.entity';
import { type BookingActor } from '../../domain/booking-events';
import { refusalError } from '../../domain/booking-refusals';
import { ACTIVE_STATUSES } from '../../domain/booking-status';
import { lockBooking } from '../../persistence/booking.locks';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';

interface LiveBooking {
  id: string;
  status: string;
  /** The user is this booking's buyer (else its mechanic). */
  as_buyer: boolean;
  availability_id: string | null;
}

/**
 * identity §2.1-14 steps 2–4 for bookings, inside the account-deletion transaction: refuse while a
 * booking is active, then cancel the user's pending bookings, as buyer and as mechanic (AUTH-20,
 * AUTH-22). Their holds are released after the commit by a queued, retried call: Stripe being down
 * never fails a deletion, and no network call waits under the user's and bookings' locks.
 */
@Injectable()
export class AccountBookingsCloser {
  constructor(private readonly transitions: BookingTransitionRunner) {}

  async close(manager: EntityManager, user: UserEntity): Promise<void> {
    // One lock over pending and active bookings alike: a pending booking accepted meanwhile is seen
    // as active once the lock is granted, never skipped.
    const live: LiveBooking[] = await manager.query(
      `SELECT b.id, b.status, b.buyer_id = $1 AS as_buyer, b.availability_id FROM bookings b
        WHERE b.status = ANY ($2)
          AND (b.buyer_id = $1 OR b.mechanic_id IN (SELECT id FROM mechanic_profiles WHERE user_id = $1))
        ORDER BY b.id
        FOR UPDATE OF b`,
      [user.id, ['pending_acceptance', ...ACTIVE_STATUSES]],
    );
    if (live.some((booking) => booking.status !== 'pending_acceptance')) {
      throw new DomainError(
        'active_bookings',
        'You have active bookings. Please complete or cancel them before deleting your account.',
      );
    }
    for (const pending of live) {
      const booking = await lockBooking(manager, pending.id);
      const actor: BookingActor = pending.as_buyer
        ? { role: 'buyer', userId: user.id, emailVerified: user.isVerified }
        : { role: 'mechanic', userId: user.id, profileId: booking.mechanicId };
      const result = await this.transitions.apply(manager, booking, { type: 'close_account', actor });
      if (!result.ok) throw refusalError(result);
      // The mechanic's slots all go with the account (step 4); the mechanics owner, which deletes
      // the free ones, may have run before this slot was freed.
      if (!pending.as_buyer && pending.availability_id !== null) {
        await manager.query('DELETE FROM availabilities WHERE id = $1 AND is_booked = false', [
          pending.availability_id,
        ]);
      }
      // Deletion has no after-commit hook for owners; this is the end of the bookings' part of it.
      this.transitions.count(result);
    }
  }
}
