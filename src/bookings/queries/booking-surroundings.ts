import { type EntityManager } from 'typeorm';
import { type AppConfig } from '../../config/load-config';
import { type UserRole } from '../../identity/persistence/user.entity';
import { type BookingSurroundings, type RevealRules } from '../http/booking-enriched.view';
import { type BookingEntity } from '../persistence/booking.entity';

/**
 * The slot, both parties' phones and `has_review` of each booking, in one statement. `has_review` is
 * true when either party reviewed (messaging-reports §3.3), as in the original (§9.14).
 */
export async function loadSurroundings(
  manager: EntityManager,
  bookingIds: readonly string[],
): Promise<Map<string, BookingSurroundings>> {
  if (bookingIds.length === 0) return new Map();
  const rows: {
    id: string;
    slot_date: string | null;
    slot_start: string | null;
    slot_end: string | null;
    buyer_phone: string | null;
    mechanic_phone: string | null;
    has_review: boolean;
  }[] = await manager.query(
    `SELECT b.id, a.date::text AS slot_date, a.start_time::text AS slot_start, a.end_time::text AS slot_end,
            buyer.phone AS buyer_phone, mechanic.phone AS mechanic_phone,
            EXISTS (SELECT 1 FROM reviews r WHERE r.booking_id = b.id) AS has_review
       FROM bookings b
       JOIN users buyer ON buyer.id = b.buyer_id
       JOIN mechanic_profiles profile ON profile.id = b.mechanic_id
       JOIN users mechanic ON mechanic.id = profile.user_id
       LEFT JOIN availabilities a ON a.id = b.availability_id
      WHERE b.id = ANY($1::uuid[])`,
    [bookingIds],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        slot:
          row.slot_date && row.slot_start && row.slot_end
            ? { date: row.slot_date, startTime: row.slot_start, endTime: row.slot_end }
            : null,
        buyerPhone: row.buyer_phone,
        mechanicPhone: row.mechanic_phone,
        hasReview: row.has_review,
      },
    ]),
  );
}

/** The caller's mechanic profile id, or null (a mechanic user without a profile, or not a mechanic). */
export async function profileIdOf(manager: EntityManager, userId: string): Promise<string | null> {
  const [row]: { id: string }[] = await manager.query('SELECT id FROM mechanic_profiles WHERE user_id = $1', [
    userId,
  ]);
  return row?.id ?? null;
}

/** §3.11: admins read any booking, a buyer only theirs, anyone else only as the booking's mechanic. */
export async function mayReadBooking(
  manager: EntityManager,
  reader: BookingReader,
  booking: Pick<BookingEntity, 'buyerId' | 'mechanicId'>,
): Promise<boolean> {
  if (reader.role === 'admin') return true;
  if (reader.role === 'buyer') return booking.buyerId === reader.userId;
  return (await profileIdOf(manager, reader.userId)) === booking.mechanicId;
}

/** The contact-phone reveal of §3.0.1, as of now. */
export function revealRules(
  now: Date,
  config: Pick<AppConfig, 'APP_TIMEZONE' | 'BOOKING_MINIMUM_ADVANCE_HOURS'>,
): RevealRules {
  return { now, timeZone: config.APP_TIMEZONE, contactPhoneHours: config.BOOKING_MINIMUM_ADVANCE_HOURS };
}

/** Who reads a booking: the role picks the view (§3.0.1). */
export interface BookingReader {
  userId: string;
  role: UserRole;
}
