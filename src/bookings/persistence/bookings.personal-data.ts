import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  OwnsPersonalData,
  type PersonalDataOwner,
  sanitiseForCsv,
} from '../../identity/domain/personal-data';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { AccountBookingsCloser } from '../commands/close-account-bookings/account-bookings-closer';
import { BookingEntity } from './booking.entity';

/**
 * GDPR for bookings (identity §2.1-14 steps 2–4, §2.1-15). Bookings are contracts with payments and
 * disputes attached: they stay, pointing at the anonymised user row; their vehicle and address
 * fields are anonymised after three years by `anonymize_old_bookings` (§12.7). booking_transitions
 * holds ids only and is kept as the audit trail of money-moving decisions. Erasure refuses while a
 * booking is active and cancels the pending ones (AccountBookingsCloser, AUTH-20, AUTH-22).
 */
@Injectable()
@OwnsPersonalData()
export class BookingsPersonalData implements PersonalDataOwner {
  /** dispute_cases: DisputesPersonalData. */
  readonly tables = ['bookings', 'booking_transitions'];

  constructor(private readonly closer: AccountBookingsCloser) {}

  erase(manager: EntityManager, user: UserEntity): Promise<void> {
    return this.closer.close(manager, user);
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
