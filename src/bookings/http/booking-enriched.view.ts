import { instantOfWallClock } from '../../common/clock/wall-clock';
import { type BookingEntity } from '../persistence/booking.entity';
import { bookingView, type BookingViewer } from './booking.views';

/** The rows around a booking that its enriched object shows (§3.0.1). */
export interface BookingSurroundings {
  /** The booked (sub-)slot: wall-clock `YYYY-MM-DD` and `HH:MM:SS` in APP_TIMEZONE; null once deleted. */
  slot: { date: string; startTime: string; endTime: string } | null;
  buyerPhone: string | null;
  mechanicPhone: string | null;
  hasReview: boolean;
}

export interface RevealRules {
  now: Date;
  timeZone: string;
  /** BOOKING_MINIMUM_ADVANCE_HOURS: the phones are shown from this long before the slot. */
  contactPhoneHours: number;
}

/** The slot's start as an instant (D3: the slot is a wall-clock time of APP_TIMEZONE). */
export function slotStart(slot: NonNullable<BookingSurroundings['slot']>, timeZone: string): Date {
  return instantOfWallClock(slot.date, slot.startTime, timeZone);
}

/**
 * The enriched booking object of GET /bookings/me and GET /bookings/{id} (§3.0.1): the role view,
 * the slot, the refusal fields, `has_review`, and the other party's phone once the appointment is
 * near. A mechanic no longer sees the plate of a finished booking (privacy).
 */
export function enrichedBookingView(
  booking: BookingEntity,
  viewer: BookingViewer,
  around: BookingSurroundings,
  rules: RevealRules,
): Record<string, unknown> {
  const view = bookingView(booking, viewer);
  const finished = booking.status === 'completed' || booking.status === 'cancelled';
  if (viewer === 'mechanic' && finished) view.vehicle_plate = null;
  const { slot } = around;
  return {
    ...view,
    ...(slot && {
      slot_date: slot.date,
      slot_start_time: slot.startTime.slice(0, 5),
      slot_end_time: slot.endTime.slice(0, 5),
    }),
    refuse_reason: booking.refuseReason,
    proposed_time: booking.proposedTime,
    has_review: around.hasReview,
    ...contactPhone(booking, viewer, around, rules),
  };
}

/**
 * Confirmed, with a slot starting within the reveal delay (or already past): the buyer gets the
 * mechanic's phone and the mechanic the buyer's; admins never; otherwise the key is absent.
 */
function contactPhone(
  booking: BookingEntity,
  viewer: BookingViewer,
  { slot, buyerPhone, mechanicPhone }: BookingSurroundings,
  rules: RevealRules,
): { contact_phone?: string | null } {
  if (viewer === 'admin' || booking.status !== 'confirmed' || !slot) return {};
  const untilStart = slotStart(slot, rules.timeZone).getTime() - rules.now.getTime();
  if (untilStart > rules.contactPhoneHours * 3_600_000) return {};
  return { contact_phone: viewer === 'buyer' ? mechanicPhone : buyerPhone };
}
