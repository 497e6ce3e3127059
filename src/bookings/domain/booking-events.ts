import { type DisputeReason, type RefusalReason } from './booking-status';
import { type InspectionRecords } from './inspection';

/**
 * The caller of a transition. People carry the ids ownership is checked against; `system` is a
 * scheduled job or a Stripe webhook (the event type says which), and is recorded without an id.
 */
export type BookingActor =
  | { role: 'buyer'; userId: string; emailVerified: boolean }
  | { role: 'mechanic'; userId: string; profileId: string }
  | { role: 'admin'; userId: string }
  | { role: 'system' };

interface Base<T extends string> {
  type: T;
  actor: BookingActor;
}

/** What the opener of a dispute says (§9.1). */
interface OpenedDispute {
  reason: DisputeReason;
  description: string;
}

/** The admin's resolution (§9.3): the dispute id names its §4.6 key, the notes go on the dispute. */
interface DisputeResolution {
  disputeId: string;
  notes: string;
}

/**
 * Every event that moves a booking (bookings-payments §2.3, with the later rows of §12 and the
 * GDPR and suspension paths). The event names are stored in `booking_transitions.event`.
 */
export type BookingEvent =
  /** T1: POST /bookings. */
  | Base<'create'>
  /** T2: PATCH …/accept. */
  | Base<'accept'>
  /** T3: PATCH …/refuse. */
  | (Base<'refuse'> & { reason: RefusalReason; proposedTime: string | null })
  /** T4: PATCH …/cancel (buyer or mechanic; admins are refused). */
  | Base<'cancel'>
  /** T8/T8b: PATCH …/check-in with mechanic_present=true (again from awaiting_mechanic_code: N13.7). */
  | Base<'check_in'>
  /** T9: PATCH …/check-in with mechanic_present=false. */
  | Base<'report_no_show'>
  /** T10: PATCH …/enter-code; the handler compares the HMAC in constant time and says if it matched. */
  | (Base<'enter_code'> & { codeMatches: boolean })
  /** T11: PATCH …/check-out, with what it stored beforehand (absent only when asking `refusalFor`). */
  | (Base<'check_out'> & { inspection?: InspectionRecords })
  /** T12: PATCH …/validate(-with-photos) with validated=true. */
  | Base<'validate'>
  /** T13: PATCH …/validate(-with-photos) with validated=false; the photos are stored beforehand. */
  | (Base<'dispute'> & OpenedDispute & { photoUrls: readonly string[] | null })
  /** T14: jobs release_payment / release_overdue_payments (one claim-based job, D6, D12). */
  | Base<'release_payment'>
  /** T14: webhook payment_intent.succeeded (the capture already happened). */
  | Base<'payment_succeeded'>
  /** T6: webhook payment_intent.payment_failed. */
  | Base<'payment_failed'>
  /** T7: webhook payment_intent.canceled (e.g. an authorisation that lapsed). */
  | Base<'payment_canceled'>
  /** T5: job check_pending_acceptances. */
  | Base<'expire_pending'>
  /** Webhook charge.dispute.created, where the matrix allows `→ disputed` (N13.23). */
  | (Base<'stripe_dispute_opened'> & OpenedDispute)
  /** T15: PATCH /payments/disputes/resolve with resolution=buyer. */
  | (Base<'resolve_for_buyer'> & DisputeResolution)
  /** T16: PATCH /payments/disputes/resolve with resolution=mechanic. */
  | (Base<'resolve_for_mechanic'> & DisputeResolution)
  /** §12.3 (adopted): an admin suspends the mechanic; their pending and confirmed bookings end. */
  | Base<'suspend_mechanic'>
  /** identity §2.1-14 steps 3–4: the buyer or the mechanic deletes their account. */
  | Base<'close_account'>;

export type BookingEventType = BookingEvent['type'];

export const BOOKING_EVENT_TYPES = [
  'create',
  'accept',
  'refuse',
  'cancel',
  'check_in',
  'report_no_show',
  'enter_code',
  'check_out',
  'validate',
  'dispute',
  'release_payment',
  'payment_succeeded',
  'payment_failed',
  'payment_canceled',
  'expire_pending',
  'stripe_dispute_opened',
  'resolve_for_buyer',
  'resolve_for_mechanic',
  'suspend_mechanic',
  'close_account',
] as const satisfies readonly BookingEventType[];

/** The configurable business constants the guards use (bookings-payments §0.9). */
export interface BookingRules {
  fullRefundHours: number;
  partialRefundHours: number;
  checkInToleranceMinutes: number;
  maxCheckInCodeAttempts: number;
  checkInCodeExpirySeconds: number;
  acceptanceTimeoutHours: number;
}

export const DEFAULT_BOOKING_RULES: BookingRules = {
  fullRefundHours: 24,
  partialRefundHours: 12,
  checkInToleranceMinutes: 30,
  maxCheckInCodeAttempts: 5,
  checkInCodeExpirySeconds: 900,
  acceptanceTimeoutHours: 2,
};

/**
 * What the guards decide on, loaded by the handler after it locked the row. Durations are computed
 * by the handler from its injected Clock, so the machine stays pure and tests control time.
 */
export interface BookingFacts {
  buyerId: string;
  /** The mechanic's user id: the recipient of the mechanic's notifications. */
  mechanicUserId: string;
  /** The mechanic profile id (`bookings.mechanic_id`). */
  mechanicProfileId: string;
  /** `total_price`, a decimal string. */
  totalPrice: string;
  hasPaymentIntent: boolean;
  /** The buyer authorised the PaymentIntent (N13.15): recorded, or found `requires_capture`/`succeeded`. */
  paymentAuthorized: boolean;
  /** Slot start − now, in ms; null when the booking lost its availability. */
  msUntilSlotStart: number | null;
  /** now − created_at, in ms. */
  msSinceCreated: number;
  /** now − check_in_code_generated_at, in ms; null when no code was issued. */
  msSinceCodeIssued: number | null;
  checkInCodeAttempts: number;
  /** A dispute_cases row exists for the booking (one per booking, I-10). */
  hasDispute: boolean;
  /** The reason of the booking's dispute, when there is one (the no-show penalty, §8.1). */
  disputeReason: DisputeReason | null;
  rules: BookingRules;
}
