import { DomainError } from '../../common/errors/domain-error';
import { type DomainErrorCode } from '../../common/errors/error-codes';

/**
 * Why the machine said no. Each refusal carries the stable error code (its HTTP status comes from
 * DOMAIN_ERROR_STATUS) and the contract's message, so a handler throws `refusalError(refusal)` as is.
 */
export type BookingRefusalCode = Extract<
  DomainErrorCode,
  | 'access_denied'
  | 'email_not_verified'
  | 'not_your_booking'
  | 'admin_cannot_cancel'
  | 'booking_state_conflict'
  | 'booking_without_payment'
  | 'payment_not_authorized'
  | 'booking_availability_missing'
  | 'check_in_window'
  | 'dispute_exists'
  | 'check_in_code_expired'
  | 'check_in_attempts_exhausted'
  | 'check_in_code_incorrect'
  | 'refund_exceeds_price'
  | 'booking_not_due'
>;

export interface BookingRefusal {
  readonly ok: false;
  readonly code: BookingRefusalCode;
  readonly message: string;
  /** enter-code: a wrong code counts as an attempt, committed although the request fails (N13.6). */
  readonly countsAsFailedAttempt?: true;
}

export function refusal(code: BookingRefusalCode, message: string): BookingRefusal {
  return { ok: false, code, message };
}

export function refusalError(refused: BookingRefusal): DomainError {
  return new DomainError(refused.code, refused.message);
}

export const MESSAGES = {
  notYourBooking: 'Not your booking',
  onlyBuyers: 'Only buyers can access this resource',
  onlyMechanics: 'Only mechanics can access this resource',
  adminOnly: 'Admin access required',
  emailNotVerified: 'Email verification required. Please verify your email before proceeding.',
  adminCannotCancel: 'Admins cannot cancel bookings via this endpoint',
  noPayment: 'Booking has no payment associated',
  paymentNotAuthorized: 'The payment has not been authorised yet. Please try again later.',
  availabilityMissing: 'Availability data missing for this booking',
  checkInWindow: 'Check-in only allowed within 30 minutes of the appointment time',
  disputeExists: 'A dispute already exists for this booking',
  codeExpired: 'Code has expired. Please ask the buyer to generate a new code.',
  tooManyAttempts: 'Too many failed attempts. Please ask the buyer to generate a new code.',
  incorrectCode: 'Incorrect code.',
  refundExceedsPrice: 'Refund amount exceeds booking price',
} as const;
