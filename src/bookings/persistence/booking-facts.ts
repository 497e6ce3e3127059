import { type EntityManager } from 'typeorm';
import { type AppConfig } from '../../config/load-config';
import { type BookingFacts, type BookingRules, DEFAULT_BOOKING_RULES } from '../domain/booking-events';
import { type DisputeReason } from '../domain/booking-status';
import { type BookingEntity } from './booking.entity';

/** The configurable rules of §0.9 as the guards read them (the code expiry is hard-coded there). */
export function bookingRules(config: AppConfig): BookingRules {
  return {
    ...DEFAULT_BOOKING_RULES,
    fullRefundHours: config.CANCELLATION_FULL_REFUND_HOURS,
    partialRefundHours: config.CANCELLATION_PARTIAL_REFUND_HOURS,
    checkInToleranceMinutes: config.BOOKING_CHECK_IN_TOLERANCE_MINUTES,
    maxCheckInCodeAttempts: config.MAX_CHECK_IN_CODE_ATTEMPTS,
    acceptanceTimeoutHours: config.MECHANIC_ACCEPTANCE_TIMEOUT_HOURS,
  };
}

/**
 * What the machine decides on, read after the booking row was locked. The slot start is the slot's
 * wall-clock date and time in APP_TIMEZONE (D3), converted by PostgreSQL, so the refund bands and
 * the check-in window are measured from the instant the mechanic meant.
 */
export async function loadBookingFacts(
  manager: EntityManager,
  booking: BookingEntity,
  options: { now: Date; rules: BookingRules; timeZone: string },
): Promise<BookingFacts> {
  const { now, rules, timeZone } = options;
  // One round trip for all: the slot's start (none without a slot), the dispute's reason and the
  // mechanic's user (whom the effects may notify).
  const [{ starts_at: startsAt, dispute_reason: disputeReason, mechanic_user_id: mechanicUserId }]: {
    starts_at: Date | null;
    dispute_reason: DisputeReason | null;
    mechanic_user_id: string;
  }[] = await manager.query(
    `SELECT (SELECT (date + start_time) AT TIME ZONE $3 FROM availabilities WHERE id = $2) AS starts_at,
            (SELECT reason FROM dispute_cases WHERE booking_id = $1) AS dispute_reason,
            (SELECT user_id FROM mechanic_profiles WHERE id = $4) AS mechanic_user_id`,
    [booking.id, booking.availabilityId, timeZone, booking.mechanicId],
  );
  const msUntilSlotStart = startsAt === null ? null : startsAt.getTime() - now.getTime();
  return {
    buyerId: booking.buyerId,
    mechanicUserId,
    mechanicProfileId: booking.mechanicId,
    totalPrice: booking.totalPrice,
    hasPaymentIntent: booking.stripePaymentIntentId !== null,
    paymentAuthorized: booking.paymentAuthorizedAt !== null,
    msUntilSlotStart,
    msSinceCreated: now.getTime() - booking.createdAt.getTime(),
    msSinceCodeIssued:
      booking.checkInCodeGeneratedAt === null
        ? null
        : now.getTime() - booking.checkInCodeGeneratedAt.getTime(),
    checkInCodeAttempts: booking.checkInCodeAttempts,
    hasDispute: disputeReason !== null,
    disputeReason,
    rules,
  };
}
