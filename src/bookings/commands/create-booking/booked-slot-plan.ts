import { instantOfWallClock } from '../../../common/clock/wall-clock';
import { DomainError } from '../../../common/errors/domain-error';
import { type AppConfig } from '../../../config/load-config';
import { type BookingWindow } from './booking-slot';
import { splitWindow, toClockText, toDaySeconds, toTimeText, type WindowSplit } from './slot-plan';

type SlotRules = Pick<
  AppConfig,
  | 'APP_TIMEZONE'
  | 'BOOKING_MINIMUM_ADVANCE_HOURS'
  | 'STRIPE_AUTH_MAX_ADVANCE_DAYS'
  | 'BOOKING_SLOT_DURATION_MINUTES'
>;

const HOUR_MS = 3_600_000;

/**
 * §3.1 steps 3–5 on the locked window: the chosen start (a real time of day, else the string 422 of
 * step 3), the advance rules on the slot's start as a wall-clock time of APP_TIMEZONE (D3: at least
 * 2 h ahead; at most 6 days, §12.1, since card authorisations lapse after ~7), and the piece to book.
 * Without `slot_start_time` the whole window is booked, whatever its length.
 */
export function planBookedSlot(
  window: BookingWindow,
  slotStartTime: string | null,
  now: Date,
  rules: SlotRules,
): WindowSplit {
  if (slotStartTime !== null && !/^([01]\d|2[0-3]):[0-5]\d$/.test(slotStartTime)) {
    throw new DomainError(
      'invalid_slot_start_time',
      `Invalid slot_start_time format: '${slotStartTime}'. Expected HH:MM (e.g. '09:00')`,
    );
  }
  const start = slotStartTime === null ? window.range.start : toDaySeconds(slotStartTime);
  const untilStart =
    instantOfWallClock(window.date, toTimeText(start), rules.APP_TIMEZONE).getTime() - now.getTime();
  if (untilStart < rules.BOOKING_MINIMUM_ADVANCE_HOURS * HOUR_MS) {
    throw new DomainError(
      'booking_too_soon',
      `Booking must be at least ${rules.BOOKING_MINIMUM_ADVANCE_HOURS} hours in advance`,
    );
  }
  if (untilStart > rules.STRIPE_AUTH_MAX_ADVANCE_DAYS * 24 * HOUR_MS) {
    throw new DomainError(
      'booking_too_far_ahead',
      `Booking cannot be more than ${rules.STRIPE_AUTH_MAX_ADVANCE_DAYS} days in advance due to payment authorization limits`,
    );
  }
  if (slotStartTime === null) return { booked: window.range, left: null, right: null };
  const split = splitWindow(window.range, start, rules.BOOKING_SLOT_DURATION_MINUTES * 60);
  if (!split) {
    throw new DomainError(
      'slot_outside_window',
      `Chosen time ${slotStartTime} is outside the availability window ${toClockText(window.range.start)}-${toClockText(window.range.end)}`,
    );
  }
  return split;
}
