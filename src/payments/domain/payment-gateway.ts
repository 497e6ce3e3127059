import { type IdempotencyKey } from './idempotency-keys';

/** The label of `emecano_stripe_call_duration_seconds{operation}`, one per kind of Stripe request. */
export type StripeOperation =
  | 'create_payment_intent'
  | 'retrieve_payment_intent'
  | 'cancel_payment_intent'
  | 'capture_payment_intent'
  | 'refund_payment_intent'
  | 'create_connect_account'
  | 'retrieve_connect_account'
  | 'create_account_link'
  | 'create_login_link'
  | 'delete_connect_account';

/**
 * What the gateway logs a failure against (H-022: the full error goes to the logs with the booking
 * or dispute id; the client only ever sees a generic message).
 */
export type PaymentReference = { bookingId: string } | { disputeId: string } | { mechanicProfileId: string };

/**
 * Why a call failed, in the gateway's words: never Stripe's message, code or ids, which stay in the
 * logs. `unreachable` covers timeouts and connection resets after the SDK's own retries.
 */
export type PaymentFailureReason =
  'card_declined' | 'unreachable' | 'provider_error' | 'rejected' | 'still_processing' | 'exceeds_refundable';

export interface PaymentFailure {
  readonly status: 'failed';
  readonly reason: PaymentFailureReason;
  readonly operation: StripeOperation;
}

export interface AuthorizationRequest {
  amountCents: number;
  commissionCents: number;
  buyerId: string;
  mechanicProfileId: string;
  /** The mechanic's Connect account; a development one gets no transfer (§4.9). */
  destinationAccountId: string | null;
  key: IdempotencyKey;
  reference: PaymentReference;
}

export type AuthorizationOutcome =
  | { readonly status: 'created'; readonly paymentIntentId: string; readonly clientSecret: string | null }
  | PaymentFailure;

/** §4.3: releasing the hold, or refunding everything when it was already captured. */
export type FullCancelOutcome =
  | { readonly status: 'canceled' }
  | { readonly status: 'already_canceled' }
  | { readonly status: 'refunded'; readonly refundId: string; readonly amountCents: number }
  | { readonly status: 'already_refunded' }
  | PaymentFailure;

/** §4.4 with N13.8: before capture the buyer's share is released by capturing only the rest. */
export type PartialRefundOutcome =
  | { readonly status: 'refunded'; readonly refundId: string; readonly amountCents: number }
  | { readonly status: 'partially_captured'; readonly capturedCents: number }
  | { readonly status: 'canceled' }
  | PaymentFailure;

/** §4.5 with N13.15: "not capturable" is reported, so the caller never completes without money. */
export type CaptureOutcome =
  | { readonly status: 'captured'; readonly amountCents: number }
  | { readonly status: 'already_captured' }
  | { readonly status: 'not_capturable'; readonly paymentIntentStatus: string }
  | PaymentFailure;

export type ConnectAccountOutcome =
  { readonly status: 'created'; readonly accountId: string } | PaymentFailure;

export type ConnectAccountState =
  | {
      readonly status: 'found';
      /** Stripe's `details_submitted`: the mechanic went through the whole onboarding form. */
      readonly onboardingComplete: boolean;
    }
  | PaymentFailure;

export type LinkOutcome = { readonly status: 'created'; readonly url: string } | PaymentFailure;

export type AccountDeletionOutcome = { readonly status: 'deleted' } | PaymentFailure;

/**
 * Every money movement and Connect call of the service goes through this port (bookings-payments
 * §4). Methods never throw for a payment-provider problem: they return a typed outcome, and money
 * movements take an IdempotencyKey.
 */
export abstract class PaymentGateway {
  abstract createAuthorization(request: AuthorizationRequest): Promise<AuthorizationOutcome>;

  abstract cancelOrRefundInFull(
    paymentIntentId: string,
    key: IdempotencyKey,
    reference: PaymentReference,
  ): Promise<FullCancelOutcome>;

  /** `amountCents` is what the buyer gets back. */
  abstract refundPartially(
    paymentIntentId: string,
    amountCents: number,
    key: IdempotencyKey,
    reference: PaymentReference,
  ): Promise<PartialRefundOutcome>;

  abstract capture(
    paymentIntentId: string,
    key: IdempotencyKey,
    reference: PaymentReference,
  ): Promise<CaptureOutcome>;

  abstract createConnectAccount(
    email: string,
    key: IdempotencyKey,
    reference: PaymentReference,
  ): Promise<ConnectAccountOutcome>;

  abstract connectAccountState(accountId: string, reference: PaymentReference): Promise<ConnectAccountState>;

  abstract onboardingLink(accountId: string, reference: PaymentReference): Promise<LinkOutcome>;

  abstract dashboardLink(accountId: string, reference: PaymentReference): Promise<LinkOutcome>;

  /** Closes a mechanic's Connect account (account deletion, identity §2.1-14 step 4). */
  abstract deleteConnectAccount(
    accountId: string,
    reference: PaymentReference,
  ): Promise<AccountDeletionOutcome>;
}

export function isPaymentFailure(outcome: { status: string }): outcome is PaymentFailure {
  return outcome.status === 'failed';
}

/**
 * Ids made by the development gateway (`pi_dev_…`, `acct_dev_…`) and the original's mock ids
 * (`pi_mock_4000`, `acct_mock_123`): objects Stripe has never seen, handled without a call (§4.9).
 */
export function isDevelopmentObjectId(id: string): boolean {
  return /^[a-z]+_(dev|mock)_/.test(id);
}
