import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import {
  OwnsPersonalData,
  type PersonalDataOwner,
  sanitiseForCsv,
} from '../../identity/domain/personal-data';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { ACTIVE_STATUSES } from '../domain/booking-status';
import { BookingEntity } from './booking.entity';

/**
 * GDPR for bookings (identity §2.1-14 step 2, §2.1-15). Bookings are contracts with payments and
 * disputes attached: they stay, pointing at the anonymised user row; their vehicle and address
 * fields are anonymised after three years by `anonymize_old_bookings` (§12.7). booking_transitions
 * holds ids only and is kept as the audit trail of money-moving decisions.
 *
 * Not done here yet (bookings handler work, issue 7): steps 3 and 4, cancelling the user's
 * `pending_acceptance` bookings (as buyer, and as mechanic) with a best-effort Stripe cancel
 * (AUTH-20, AUTH-22). They are the machine's `close_account` event and need the PaymentGateway and
 * slot release; until then such bookings are left pending here, and the expiry job
 * (check_pending_acceptances) cancels them within MECHANIC_ACCEPTANCE_TIMEOUT_HOURS.
 */
@Injectable()
@OwnsPersonalData()
export class BookingsPersonalData implements PersonalDataOwner {
  readonly tables = ['bookings', 'booking_transitions'];

  async erase(manager: EntityManager, user: UserEntity): Promise<void> {
    // Locks the user's live bookings so none becomes active between this check and the commit.
    const active: { id: string }[] = await manager.query(
      `SELECT b.id FROM bookings b
        WHERE b.status = ANY ($2)
          AND (b.buyer_id = $1 OR b.mechanic_id IN (SELECT id FROM mechanic_profiles WHERE user_id = $1))
        ORDER BY b.id
        FOR UPDATE OF b`,
      [user.id, ACTIVE_STATUSES],
    );
    if (active.length > 0) {
      throw new DomainError(
        'active_bookings',
        'You have active bookings. Please complete or cancel them before deleting your account.',
      );
    }
  }

  async export(manager: EntityManager, user: UserEntity, limit: number): Promise<Record<string, unknown>> {
    const rows = await manager.getRepository(BookingEntity).find({
      where: { buyerId: user.id },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return {
      bookings: rows.map((row) => ({
        id: row.id,
        status: row.status,
        vehicle_type: row.vehicleType,
        vehicle_brand: sanitiseForCsv(row.vehicleBrand),
        vehicle_model: sanitiseForCsv(row.vehicleModel),
        vehicle_year: row.vehicleYear,
        total_price: row.totalPrice,
        created_at: row.createdAt.toISOString(),
      })),
    };
  }
}
