import { Logger } from '@nestjs/common';
import { type Histogram } from 'prom-client';
import Stripe from 'stripe';
import { DerivedKeys, type IdempotencyKey } from '../domain/idempotency-keys';
import {
  type AuthorizationOutcome,
  type AuthorizationRequest,
  type CaptureOutcome,
  type ConnectAccountOutcome,
  type ConnectAccountState,
  type FullCancelOutcome,
  isDevelopmentObjectId,
  isPaymentFailure,
  type AccountDeletionOutcome,
  type LinkOutcome,
  type PartialRefundOutcome,
  type PaymentFailure,
  type PaymentFailureReason,
  PaymentGateway,
  type PaymentReference,
  type StripeOperation,
} from '../domain/payment-gateway';
import { asStripeEvent, WebhookSignature, type WebhookVerification } from '../domain/stripe-event';

/** §12.6: the API version the SDK's types describe; Stripe answers in this shape whatever the account default. */
export const STRIPE_API_VERSION = '2024-06-20';
/** §0.9: per request; the SDK's two retries each get their own. */
export const STRIPE_TIMEOUT_MS = 15_000;
const NETWORK_RETRIES = 2;

export interface StripeSettings {
  secretKey: string;
  /** STRIPE_API_URL: api.stripe.com, or a compatible local server (the tests' fake, stripe-mock). */
  apiUrl: string;
  refreshUrl: string;
  returnUrl: string;
  timeoutMs?: number;
}

interface PaymentIntentView {
  readonly status: 'found';
  readonly intentStatus: Stripe.PaymentIntent.Status;
  readonly amount: number;
  readonly capturedCents: number;
  readonly refundedCents: number;
}

/**
 * The only file that imports the Stripe SDK. Every request is timed in
 * `emecano_stripe_call_duration_seconds{operation}`; every Stripe error is logged in full with the
 * booking, dispute or profile it concerns and comes back as a typed failure without its message
 * (H-022). Development ids (`pi_dev_…`, `acct_mock_123`) never reach Stripe (§4.9).
 */
export class StripePaymentGateway extends PaymentGateway {
  private readonly stripe: Stripe;
  private readonly logger = new Logger('Stripe');

  constructor(
    private readonly settings: StripeSettings,
    private readonly latency: Histogram<string>,
    private readonly development: PaymentGateway,
  ) {
    super();
    const url = new URL(settings.apiUrl);
    this.stripe = new Stripe(settings.secretKey, {
      apiVersion: STRIPE_API_VERSION,
      maxNetworkRetries: NETWORK_RETRIES,
      timeout: settings.timeoutMs ?? STRIPE_TIMEOUT_MS,
      protocol: url.protocol === 'http:' ? 'http' : 'https',
      host: url.hostname,
      port: url.port || (url.protocol === 'http:' ? '80' : '443'),
      telemetry: false,
    });
  }

  async createAuthorization(request: AuthorizationRequest): Promise<AuthorizationOutcome> {
    const destination = request.destinationAccountId;
    // §4.2/§4.9: a mechanic account from development mode cannot receive a transfer.
    const transfer =
      destination !== null && !isDevelopmentObjectId(destination)
        ? { transfer_data: { destination }, application_fee_amount: request.commissionCents }
        : {};
    return this.call('create_payment_intent', request.reference, async () => {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: 'eur',
          capture_method: 'manual',
          metadata: { buyer_id: request.buyerId, mechanic_id: request.mechanicProfileId },
          ...transfer,
        },
        { idempotencyKey: request.key },
      );
      return { status: 'created', paymentIntentId: intent.id, clientSecret: intent.client_secret };
    });
  }

  /** §4.3. */
  async cancelOrRefundInFull(
    paymentIntentId: string,
    key: IdempotencyKey,
    reference: PaymentReference,
  ): Promise<FullCancelOutcome> {
    if (isDevelopmentObjectId(paymentIntentId)) {
      return this.development.cancelOrRefundInFull(paymentIntentId, key, reference);
    }
    const intent = await this.retrieve(paymentIntentId, reference);
    if (isPaymentFailure(intent)) return intent;
    switch (intent.intentStatus) {
      case 'canceled':
        return { status: 'already_canceled' };
      case 'processing':
        return this.refuse('cancel_payment_intent', reference, 'still_processing');
      case 'succeeded':
        if (intent.capturedCents - intent.refundedCents <= 0) return { status: 'already_refunded' };
        return this.refund(paymentIntentId, undefined, DerivedKeys.fullRefund(key), reference);
      default:
        return this.cancel(paymentIntentId, key, reference);
    }
  }

  /** §4.4 with N13.8: before capture, the buyer's share is released by capturing only the rest. */
  async refundPartially(
    paymentIntentId: string,
    amountCents: number,
    key: IdempotencyKey,
    reference: PaymentReference,
  ): Promise<PartialRefundOutcome> {
    if (isDevelopmentObjectId(paymentIntentId)) {
      return this.development.refundPartially(paymentIntentId, amountCents, key, reference);
    }
    const intent = await this.retrieve(paymentIntentId, reference);
    if (isPaymentFailure(intent)) return intent;
    switch (intent.intentStatus) {
      case 'canceled':
        return { status: 'canceled' };
      case 'processing':
        return this.refuse('refund_payment_intent', reference, 'still_processing');
      case 'succeeded':
        if (amountCents > intent.capturedCents - intent.refundedCents) {
          return this.refuse('refund_payment_intent', reference, 'exceeds_refundable');
        }
        return this.refund(paymentIntentId, amountCents, key, reference);
      case 'requires_capture': {
        if (amountCents > intent.amount)
          return this.refuse('refund_payment_intent', reference, 'exceeds_refundable');
        const remainder = intent.amount - amountCents;
        if (remainder === 0) return this.cancel(paymentIntentId, DerivedKeys.cancel(key), reference);
        const captured = await this.captureAmount(
          paymentIntentId,
          remainder,
          DerivedKeys.partialCapture(key),
          reference,
        );
        return isPaymentFailure(captured)
          ? captured
          : { status: 'partially_captured', capturedCents: remainder };
      }
      default:
        // Never authorised: there is nothing to refund, only an open PaymentIntent to close.
        return this.cancel(paymentIntentId, DerivedKeys.cancel(key), reference);
    }
  }

  /** §4.5 with N13.15. */
  async capture(
    paymentIntentId: string,
    key: IdempotencyKey,
    reference: PaymentReference,
  ): Promise<CaptureOutcome> {
    if (isDevelopmentObjectId(paymentIntentId))
      return this.development.capture(paymentIntentId, key, reference);
    const intent = await this.retrieveStatus(paymentIntentId, reference);
    if (isPaymentFailure(intent)) return intent;
    if (intent.intentStatus === 'succeeded') return { status: 'already_captured' };
    if (intent.intentStatus !== 'requires_capture') {
      this.logger.warn({
        event: 'payment_not_capturable',
        ...logFields(reference),
        status: intent.intentStatus,
      });
      return { status: 'not_capturable', paymentIntentStatus: intent.intentStatus };
    }
    return this.captureAmount(paymentIntentId, undefined, key, reference);
  }

  /** §3.14: an Express account in France that may take card payments and receive transfers. */
  createConnectAccount(
    email: string,
    key: IdempotencyKey,
    reference: PaymentReference,
  ): Promise<ConnectAccountOutcome> {
    return this.call('create_connect_account', reference, async () => {
      const account = await this.stripe.accounts.create(
        {
          type: 'express',
          country: 'FR',
          email,
          capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
        },
        { idempotencyKey: key },
      );
      return { status: 'created', accountId: account.id };
    });
  }

  connectAccountState(accountId: string, reference: PaymentReference): Promise<ConnectAccountState> {
    if (isDevelopmentObjectId(accountId)) return this.development.connectAccountState(accountId, reference);
    return this.call('retrieve_connect_account', reference, async () => {
      const account = await this.stripe.accounts.retrieve(accountId);
      return { status: 'found', onboardingComplete: account.details_submitted === true };
    });
  }

  onboardingLink(accountId: string, reference: PaymentReference): Promise<LinkOutcome> {
    if (isDevelopmentObjectId(accountId)) return this.development.onboardingLink(accountId, reference);
    return this.call('create_account_link', reference, async () => {
      const link = await this.stripe.accountLinks.create({
        account: accountId,
        type: 'account_onboarding',
        refresh_url: this.settings.refreshUrl,
        return_url: this.settings.returnUrl,
      });
      return { status: 'created', url: link.url };
    });
  }

  dashboardLink(accountId: string, reference: PaymentReference): Promise<LinkOutcome> {
    if (isDevelopmentObjectId(accountId)) return this.development.dashboardLink(accountId, reference);
    return this.call('create_login_link', reference, async () => {
      const link = await this.stripe.accounts.createLoginLink(accountId);
      return { status: 'created', url: link.url };
    });
  }

  deleteConnectAccount(accountId: string, reference: PaymentReference): Promise<AccountDeletionOutcome> {
    if (isDevelopmentObjectId(accountId)) return this.development.deleteConnectAccount(accountId, reference);
    return this.call('delete_connect_account', reference, async () => {
      await this.stripe.accounts.del(accountId);
      return { status: 'deleted' };
    });
  }

  private retrieve(paymentIntentId: string, reference: PaymentReference) {
    return this.call('retrieve_payment_intent', reference, async (): Promise<PaymentIntentView> => {
      // The charge carries what was really captured and refunded (a partial capture releases the rest).
      const intent = await this.stripe.paymentIntents.retrieve(paymentIntentId, {
        expand: ['latest_charge'],
      });
      const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
      return {
        status: 'found',
        intentStatus: intent.status,
        amount: intent.amount,
        capturedCents: charge?.amount_captured ?? 0,
        refundedCents: charge?.amount_refunded ?? 0,
      };
    });
  }

  /** The capture decides on the status alone (§4.5): no charge to expand, a smaller answer to parse. */
  private retrieveStatus(paymentIntentId: string, reference: PaymentReference) {
    return this.call('retrieve_payment_intent', reference, async () => {
      const intent = await this.stripe.paymentIntents.retrieve(paymentIntentId);
      return { status: 'found' as const, intentStatus: intent.status };
    });
  }

  private cancel(paymentIntentId: string, key: IdempotencyKey, reference: PaymentReference) {
    return this.call('cancel_payment_intent', reference, async () => {
      await this.stripe.paymentIntents.cancel(paymentIntentId, {}, { idempotencyKey: key });
      return { status: 'canceled' as const };
    });
  }

  private captureAmount(
    paymentIntentId: string,
    amountCents: number | undefined,
    key: IdempotencyKey,
    reference: PaymentReference,
  ) {
    return this.call('capture_payment_intent', reference, async () => {
      const params = amountCents === undefined ? {} : { amount_to_capture: amountCents };
      const intent = await this.stripe.paymentIntents.capture(paymentIntentId, params, {
        idempotencyKey: key,
      });
      return { status: 'captured' as const, amountCents: intent.amount_received };
    });
  }

  /** Without reverse_transfer, as the original (N13.30): the platform funds a refund after capture. */
  private refund(
    paymentIntentId: string,
    amountCents: number | undefined,
    key: IdempotencyKey,
    reference: PaymentReference,
  ) {
    return this.call('refund_payment_intent', reference, async () => {
      const params = amountCents === undefined ? {} : { amount: amountCents };
      const refund = await this.stripe.refunds.create(
        { payment_intent: paymentIntentId, ...params },
        { idempotencyKey: key },
      );
      return { status: 'refunded' as const, refundId: refund.id, amountCents: refund.amount };
    });
  }

  /** A refusal decided here rather than by Stripe (§4.3 "still processing", §4.4 "exceeds max refundable"). */
  private refuse(
    operation: StripeOperation,
    reference: PaymentReference,
    reason: PaymentFailureReason,
  ): PaymentFailure {
    this.logger.error({ event: 'stripe_operation_refused', operation, reason, ...logFields(reference) });
    return { status: 'failed', reason, operation };
  }

  private async call<T>(
    operation: StripeOperation,
    reference: PaymentReference,
    work: () => Promise<T>,
  ): Promise<T | PaymentFailure> {
    const stop = this.latency.startTimer({ operation });
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeError)) throw error;
      // The full error, but never `raw` (the request and payment-method details).
      this.logger.error({
        event: 'stripe_call_failed',
        operation,
        ...logFields(reference),
        error_type: error.type,
        code: error.code,
        decline_code: error.decline_code,
        http_status: error.statusCode,
        stripe_request_id: error.requestId,
        message: error.message,
      });
      return { status: 'failed', reason: failureReason(error), operation };
    } finally {
      stop();
    }
  }
}

/**
 * §4.8-3 with the SDK's own check (HMAC-SHA256 over `t.payload`, 300 s of tolerance against the real
 * time Stripe signed at, not the injected clock). A valid signature over a body that is not a JSON
 * event is `invalid_payload` (a 400, not the original's 500).
 */
export class StripeWebhookSignature extends WebhookSignature {
  verify(rawBody: Buffer, signatureHeader: string | undefined, secret: string): WebhookVerification {
    if (!signatureHeader) return { status: 'invalid_signature' };
    let parsed: unknown;
    try {
      parsed = Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError)
        return { status: 'invalid_signature' };
      if (error instanceof SyntaxError) return { status: 'invalid_payload' };
      throw error;
    }
    const event = asStripeEvent(parsed);
    return event ? { status: 'verified', event } : { status: 'invalid_payload' };
  }
}

function failureReason(error: Stripe.errors.StripeError): PaymentFailureReason {
  switch (error.type) {
    case 'StripeCardError':
      return 'card_declined';
    case 'StripeConnectionError':
      return 'unreachable';
    case 'StripeInvalidRequestError':
    case 'StripeIdempotencyError':
      return 'rejected';
    default:
      return 'provider_error';
  }
}

function logFields(reference: PaymentReference): Record<string, string> {
  if ('bookingId' in reference) return { booking_id: reference.bookingId };
  if ('disputeId' in reference) return { dispute_id: reference.disputeId };
  return { mechanic_profile_id: reference.mechanicProfileId };
}
