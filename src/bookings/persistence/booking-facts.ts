import { type EntityManager } from 'typeorm';
import { type AppConfig } from '../../config/load-config';
import { type BookingFacts, type BookingRules, DEFAULT_BOOKING_RULES } from '../domain/booking-events';
import { type BookingEntity } from './booking.entity';
import { disputeReasonOf } from './dispute-cases';

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
  let msUntilSlotStart: number | null = null;
  if (booking.availabilityId !== null) {
    const rows: { starts_at: Date }[] = await manager.query(
      'SELECT (date + start_time) AT TIME ZONE $2 AS starts_at FROM availabilities WHERE id = $1',
      [booking.availabilityId, timeZone],
    );
    if (rows.length > 0) msUntilSlotStart = rows[0].starts_at.getTime() - now.getTime();
  }
  const disputeReason = await disputeReasonOf(manager, booking.id);
  return {
    buyerId: booking.buyerId,
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
