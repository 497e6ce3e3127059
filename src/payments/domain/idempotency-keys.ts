import { randomBytes } from 'node:crypto';

declare const idempotencyKeyBrand: unique symbol;

/**
 * A Stripe `Idempotency-Key` built by one of the functions below and nowhere else (C-004, C-005):
 * the gateway's money methods accept only this type, so an ad-hoc string (a timestamp, a retry
 * counter) cannot reach Stripe and turn one logical operation into two.
 */
export type IdempotencyKey = string & { readonly [idempotencyKeyBrand]: true };

const key = (value: string) => value as IdempotencyKey;

/** The buyer-refund percentages that leave money to capture (bookings-payments §5.2). */
export type PartialRefundPercentage = 50;

/**
 * bookings-payments §4.6 with every [FIX]/[REC] row applied (decisions D5–D7). One key per logical
 * operation on one booking, dispute or profile; Stripe replays the first answer for 24 h.
 */
export const IdempotencyKeys = {
  /** D5 / N13.13: the nonce stops a re-booking or a retry after compensation replaying a dead PaymentIntent. */
  bookingAuthorization: (buyerId: string, availabilityId: string, nonce = randomBytes(4).toString('hex')) =>
    key(`booking_${buyerId}_${availabilityId}_${nonce}`),
  /** C-004: cancellation with a 100 % refund, by the buyer or the mechanic; no timestamp. */
  cancel: (bookingId: string) => key(`cancel_${bookingId}`),
  /** C-004: cancellation with a partial refund. */
  partialRefund: (bookingId: string, percentage: PartialRefundPercentage) =>
    key(`refund_${bookingId}_${percentage}pct`),
  /** N13.9: a 0 % cancellation captures the whole hold for the mechanic. */
  lateCancelCapture: (bookingId: string) => key(`late_cancel_capture_${bookingId}`),
  refuse: (bookingId: string) => key(`refuse_${bookingId}`),
  pendingExpiry: (bookingId: string) => key(`pending_expire_${bookingId}`),
  /** C-005 / D6: one key for the one-shot release and the overdue sweep, so both are one capture. */
  release: (bookingId: string) => key(`release_${bookingId}`),
  disputeResolvedForBuyer: (disputeId: string) => key(`dispute_resolve_${disputeId}`),
  disputeResolvedForMechanic: (disputeId: string) => key(`dispute_capture_${disputeId}`),
  /** I-9: the compensating cancel when the booking insert fails after the PaymentIntent exists. */
  compensation: (paymentIntentId: string) => key(`cancel_${paymentIntentId}`),
  /** A retry after a database failure finds the account Stripe already created. */
  connectAccount: (mechanicProfileId: string) => key(`connect_account_${mechanicProfileId}`),
} as const;

/**
 * The keys the gateway derives from the caller's key when one helper makes a different call than
 * the caller asked for (§4.3, §4.4): a distinct key per Stripe request, still stable per operation.
 */
export const DerivedKeys = {
  /** §4.3: the PaymentIntent was already captured, so "cancel" becomes a full refund. */
  fullRefund: (parent: IdempotencyKey) => key(`fullrefund_${parent}`),
  /** §4.4 [FIX → N13.8]: a partial refund before capture captures the part the buyer does not get back. */
  partialCapture: (parent: IdempotencyKey) => key(`partcap_${parent}`),
  /** §4.4: nothing left to capture (or never authorised), so the refund releases the whole hold. */
  cancel: (parent: IdempotencyKey) => key(`cancel_${parent}`),
} as const;
