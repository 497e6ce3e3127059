/**
 * The side effects a transition asks for, as xstate action names. The machine never performs them:
 * the handler that asked for the decision carries them out, in this order of kinds:
 * 1. payment effects (Stripe), inside the locked transaction and before `recordTransition`, with the
 *    idempotency key of bookings-payments §4.6 for the event; a failure rolls everything back
 *    (H-022), except `cancelPaymentBestEffort`, which only logs;
 * 2. data effects, in the same transaction;
 * 3. notifications, in the same transaction (NotificationService, C-009);
 * 4. metrics, after commit only.
 */
export const PAYMENT_EFFECTS = [
  /** §4.2: PaymentIntent with manual capture, key `booking_{buyer}_{availability}_{nonce}` (D5). */
  'authorizePayment',
  /** §4.3: release the hold (or refund in full if captured). Keys: refuse_, cancel_, pending_expire_, dispute_resolve_. */
  'cancelPaymentInFull',
  /** §4.4 with N13.8 (D8): the buyer gets 50 % back; before capture, capture the other 50 %. Key refund_{id}_50pct. */
  'refundHalfToBuyer',
  /** §5.2 N13.9: 0 % band, capture everything for the mechanic. Key late_cancel_capture_{id}. */
  'captureForMechanic',
  /** §4.5: capture for the mechanic; "not capturable" must abort (N13.15, I-13). Keys release_{id} (D6), dispute_capture_{id}. */
  'capturePayment',
  /** identity §2.1-14: cancel the hold, but a Stripe failure must not fail the account deletion (AUTH-20). */
  'cancelPaymentBestEffort',
] as const;

export const DATA_EFFECTS = [
  /** §3.1 steps 5 and 9: split the window, mark the sub-slot booked, apply the 15-min buffer. */
  'consumeSlot',
  /** §5.4 with HEAD R-01: lock the slot, free it only if no other live booking references it (I-16). */
  'releaseSlot',
  /** §12.3 GPS minimisation: null mechanic_lat/lng/location_updated_at (done by recordTransition). */
  'clearMechanicLocation',
  /** T8/T8b (D2): 6-digit CSPRNG code, HMAC stored, attempts reset, issued_at = now; the plain code in the response only. */
  'issueCheckInCode',
  /** T11: proof, checklist, PDF report (off the event loop), report row. */
  'storeInspectionReport',
  /** T12 (D12): release_due_at = now + PAYMENT_RELEASE_DELAY_HOURS, for the release job. */
  'schedulePaymentRelease',
  /** T9, T13, charge.dispute.created: the dispute_cases row (one per booking, I-10), reason from the event. */
  'openDispute',
  /** T15/T16: dispute resolved_buyer/resolved_mechanic, resolved_at, resolved_by_admin, notes. */
  'resolveDispute',
  /** §8.1 [C-006]: one atomic UPDATE … no_show_count + 1 RETURNING, the ladder on the returned value. */
  'applyNoShowPenalty',
  /** §1.9: resolve_dispute_buyer / resolve_dispute_mechanic. */
  'writeAuditLog',
] as const;

export const NOTIFICATION_EFFECTS = [
  'notifyMechanicBookingCreated',
  'notifyBuyerConfirmed',
  'notifyBuyerRefused',
  /** The party that did not cancel (§3.4 step 4). */
  'notifyOtherPartyCancelled',
  /** Expiry (§7.2 REC) and suspension (§12.3): the buyer is told, with the event's text. */
  'notifyBuyerCancelled',
  'notifyMechanicNoShow',
  'notifyBuyerReportReady',
  'notifyMechanicDisputed',
  /** §9.3 [REC]: both parties learn the outcome. */
  'notifyPartiesDisputeResolved',
] as const;

/** §11.3 [M-030] with the [REC] additions; incremented after commit only. */
export const METRIC_EFFECTS = [
  'countBookingCreated',
  'countBookingCancelled',
  'countBookingCompleted',
  'countPaymentCaptured',
  'countPaymentRefunded',
  'countDisputeOpened',
] as const;

export type PaymentEffect = (typeof PAYMENT_EFFECTS)[number];
export type BookingEffect =
  | PaymentEffect
  | (typeof DATA_EFFECTS)[number]
  | (typeof NOTIFICATION_EFFECTS)[number]
  | (typeof METRIC_EFFECTS)[number];

export const BOOKING_EFFECTS: readonly BookingEffect[] = [
  ...PAYMENT_EFFECTS,
  ...DATA_EFFECTS,
  ...NOTIFICATION_EFFECTS,
  ...METRIC_EFFECTS,
];
