import { DomainError } from '../../common/errors/domain-error';
import { isPaymentFailure, type PaymentFailure } from './payment-gateway';

/** §4.7 [H-022]: the only thing a client learns when a booking or dispute flow cannot move money. */
export const PAYMENT_FAILED_MESSAGE = 'Payment processing failed. Please try again or contact support.';

/**
 * What a booking or dispute command throws for a failed gateway outcome: its transaction rolls back,
 * so the booking keeps its state, and the gateway has already logged the details with the id.
 */
export function paymentFailed(): DomainError {
  return new DomainError('payment_failed', PAYMENT_FAILED_MESSAGE);
}

/** Onboarding and the dashboard (§4.7 "elsewhere"): the generic 500, never Stripe's words. */
function paymentProviderError(): DomainError {
  return new DomainError('payment_provider_error', 'Internal server error');
}

/** The outcome of a Connect call, or the generic 500 for a failure (the gateway logged it). */
export function orProviderError<T extends { status: string }>(outcome: T): Exclude<T, PaymentFailure> {
  if (isPaymentFailure(outcome)) throw paymentProviderError();
  return outcome as Exclude<T, PaymentFailure>;
}
