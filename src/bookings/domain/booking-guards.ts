import { type BookingEvent, type BookingFacts } from './booking-events';
import { MESSAGES, refusal, type BookingRefusal } from './booking-refusals';
import { toCents } from './money';
import { buyerRefundPercentage, refundOf, type Refund } from './refund-policy';

/** What every guard sees: the facts the handler loaded under the row lock, and the event. */
export interface GuardInput {
  context: BookingFacts;
  event: BookingEvent;
}

type Guard = (input: GuardInput) => boolean;

const isBuyerOwner: Guard = ({ context, event }) =>
  event.actor.role === 'buyer' && event.actor.userId === context.buyerId;
const isMechanicOwner: Guard = ({ context, event }) =>
  event.actor.role === 'mechanic' && event.actor.profileId === context.mechanicProfileId;

/**
 * The buyer's refund for a cancellation (§5.1–§5.3): always 100 % when the mechanic cancels,
 * otherwise the band of the time left before the slot.
 */
export function cancellationRefund({ context, event }: GuardInput): Refund {
  const percentage =
    event.actor.role === 'mechanic' ? 100 : buyerRefundPercentage(context.msUntilSlotStart, context.rules);
  return refundOf(toCents(context.totalPrice), percentage);
}

/** Every guard of the machine, by the name the machine and the generated diagram use. */
export const GUARDS = {
  // Who: role and ownership.
  buyerOwner: isBuyerOwner,
  verifiedBuyerOwner: (input) =>
    isBuyerOwner(input) && input.event.actor.role === 'buyer' && input.event.actor.emailVerified,
  mechanicOwner: isMechanicOwner,
  participant: (input) => isBuyerOwner(input) || isMechanicOwner(input),
  admin: ({ event }) => event.actor.role === 'admin',
  system: ({ event }) => event.actor.role === 'system',
  // Preconditions, evaluated in the order of the spec's guard lists.
  hasPaymentIntent: ({ context }) => context.hasPaymentIntent,
  paymentAuthorized: ({ context }) => context.paymentAuthorized,
  hasSlot: ({ context }) => context.msUntilSlotStart !== null,
  withinCheckInWindow: ({ context }) =>
    context.msUntilSlotStart !== null &&
    Math.abs(context.msUntilSlotStart) <= context.rules.checkInToleranceMinutes * 60_000,
  noDispute: ({ context }) => !context.hasDispute,
  codeNotExpired: ({ context }) =>
    context.msSinceCodeIssued === null ||
    context.msSinceCodeIssued <= context.rules.checkInCodeExpirySeconds * 1000,
  attemptsLeft: ({ context }) => context.checkInCodeAttempts < context.rules.maxCheckInCodeAttempts,
  codeMatches: ({ event }) => event.type === 'enter_code' && event.codeMatches,
  refundWithinPrice: (input) => cancellationRefund(input).amountCents <= toCents(input.context.totalPrice),
  acceptanceOverdue: ({ context }) =>
    context.msSinceCreated > context.rules.acceptanceTimeoutHours * 3_600_000,
  // Branches: which of an event's transitions applies.
  fullRefund: (input) => cancellationRefund(input).percentage === 100,
  halfRefund: (input) => cancellationRefund(input).percentage === 50,
  noRefund: (input) => cancellationRefund(input).percentage === 0,
  noShowDispute: ({ context }) => context.disputeReason === 'no_show',
} satisfies Record<string, Guard>;

export type GuardName = keyof typeof GUARDS;

/** The refusal for each precondition guard that fails (400/409/429 of the endpoint contracts). */
export const PRECONDITION_REFUSALS: Partial<Record<GuardName, BookingRefusal>> = {
  hasPaymentIntent: refusal('booking_without_payment', MESSAGES.noPayment),
  paymentAuthorized: refusal('payment_not_authorized', MESSAGES.paymentNotAuthorized),
  hasSlot: refusal('booking_availability_missing', MESSAGES.availabilityMissing),
  withinCheckInWindow: refusal('check_in_window', MESSAGES.checkInWindow),
  noDispute: refusal('dispute_exists', MESSAGES.disputeExists),
  codeNotExpired: refusal('check_in_code_expired', MESSAGES.codeExpired),
  attemptsLeft: refusal('check_in_attempts_exhausted', MESSAGES.tooManyAttempts),
  codeMatches: { ...refusal('check_in_code_incorrect', MESSAGES.incorrectCode), countsAsFailedAttempt: true },
  refundWithinPrice: refusal('refund_exceeds_price', MESSAGES.refundExceedsPrice),
  acceptanceOverdue: refusal('booking_not_due', 'The acceptance delay has not run out yet'),
};
