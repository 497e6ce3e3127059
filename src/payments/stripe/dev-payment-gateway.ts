import { randomUUID } from 'node:crypto';
import {
  type AuthorizationOutcome,
  type AuthorizationRequest,
  type CaptureOutcome,
  type ConnectAccountOutcome,
  type ConnectAccountState,
  type FullCancelOutcome,
  type AccountDeletionOutcome,
  type LinkOutcome,
  type PartialRefundOutcome,
  PaymentGateway,
} from '../domain/payment-gateway';

/** §4.9: the URLs the mobile app already recognises as mock mode. */
export const DEV_ONBOARDING_URL = 'https://connect.stripe.com/mock-onboarding';
export const DEV_DASHBOARD_URL = 'https://connect.stripe.com/mock-dashboard';

type DevIntentStatus = 'requires_capture' | 'succeeded' | 'canceled';

interface DevIntent {
  status: DevIntentStatus;
  /** Unknown for an id this process did not create (a restart, the original's `pi_mock_4000`). */
  amountCents: number | null;
}

/**
 * The payment gateway of a development machine without STRIPE_SECRET_KEY (§4.9, runtime contract):
 * no network, ids unique per object (`pi_dev_<uuid>`, not the original's colliding `pi_mock_<amount>`,
 * N13.14), and the status rules of Stripe kept in memory so that flows behave as they will for real:
 * a second capture is `already_captured`, a cancelled hold cannot be captured. A PaymentIntent is
 * taken as authorised as soon as it exists, since no app can confirm it against Stripe.
 */
export class DevPaymentGateway extends PaymentGateway {
  private readonly intents = new Map<string, DevIntent>();

  async createAuthorization(request: AuthorizationRequest): Promise<AuthorizationOutcome> {
    const paymentIntentId = `pi_dev_${randomUUID()}`;
    this.intents.set(paymentIntentId, { status: 'requires_capture', amountCents: request.amountCents });
    return { status: 'created', paymentIntentId, clientSecret: null };
  }

  async cancelOrRefundInFull(paymentIntentId: string): Promise<FullCancelOutcome> {
    const intent = this.intent(paymentIntentId);
    if (intent.status === 'canceled') return { status: 'already_canceled' };
    if (intent.status === 'succeeded') {
      return { status: 'refunded', refundId: `re_dev_${randomUUID()}`, amountCents: intent.amountCents ?? 0 };
    }
    intent.status = 'canceled';
    return { status: 'canceled' };
  }

  async refundPartially(paymentIntentId: string, amountCents: number): Promise<PartialRefundOutcome> {
    const intent = this.intent(paymentIntentId);
    if (intent.status === 'canceled') return { status: 'canceled' };
    if (intent.status === 'succeeded') {
      return { status: 'refunded', refundId: `re_dev_${randomUUID()}`, amountCents };
    }
    const capturedCents = intent.amountCents === null ? 0 : intent.amountCents - amountCents;
    if (capturedCents <= 0) {
      intent.status = 'canceled';
      return { status: 'canceled' };
    }
    intent.status = 'succeeded';
    return { status: 'partially_captured', capturedCents };
  }

  async capture(paymentIntentId: string): Promise<CaptureOutcome> {
    const intent = this.intent(paymentIntentId);
    if (intent.status === 'succeeded') return { status: 'already_captured' };
    if (intent.status === 'canceled') return { status: 'not_capturable', paymentIntentStatus: 'canceled' };
    intent.status = 'succeeded';
    return { status: 'captured', amountCents: intent.amountCents ?? 0 };
  }

  async createConnectAccount(): Promise<ConnectAccountOutcome> {
    return { status: 'created', accountId: `acct_dev_${randomUUID()}` };
  }

  /** Development accounts have nothing left to fill in: the mock dashboard opens at once. */
  async connectAccountState(): Promise<ConnectAccountState> {
    return { status: 'found', onboardingComplete: true };
  }

  async onboardingLink(): Promise<LinkOutcome> {
    return { status: 'created', url: DEV_ONBOARDING_URL };
  }

  async dashboardLink(): Promise<LinkOutcome> {
    return { status: 'created', url: DEV_DASHBOARD_URL };
  }

  async deleteConnectAccount(): Promise<AccountDeletionOutcome> {
    return { status: 'deleted' };
  }

  private intent(paymentIntentId: string): DevIntent {
    let intent = this.intents.get(paymentIntentId);
    if (!intent) {
      intent = { status: 'requires_capture', amountCents: null };
      this.intents.set(paymentIntentId, intent);
    }
    return intent;
  }
}
