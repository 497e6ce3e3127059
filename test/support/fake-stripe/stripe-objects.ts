import { randomBytes } from 'node:crypto';

/** A Stripe-shaped answer: the status and JSON body the real API would send. */
export interface StripeReply {
  status: number;
  body: Record<string, unknown>;
}

export type Params = Record<string, unknown>;
type Json = Record<string, unknown>;

export const ok = (body: Json): StripeReply => ({ status: 200, body });

export function stripeError(
  status: number,
  type: string,
  message: string,
  extra: Record<string, string> = {},
): StripeReply {
  return { status, body: { error: { type, message, ...extra } } };
}

const invalid = (message: string, code?: string) =>
  stripeError(400, 'invalid_request_error', message, code ? { code } : {});
const missing = (kind: string, id: string) =>
  stripeError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing' });
const unexpectedState = (intent: Json, action: string) =>
  invalid(
    `This PaymentIntent could not be ${action} because it has a status of ${String(intent.status)}.`,
    'payment_intent_unexpected_state',
  );

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const int = (value: unknown): number | null =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;

/** Stripe's test cards: this one is always declined. */
export const DECLINED_PAYMENT_METHOD = 'pm_card_chargeDeclined';
const CANCELABLE = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
];

/**
 * The objects the fake keeps, with the status rules the gateway relies on: a PaymentIntent is
 * captured once, only from `requires_capture` and for at most what was authorised; a captured one
 * cannot be cancelled; refunds never exceed captured − refunded; login links need finished onboarding.
 */
export class StripeObjects {
  readonly paymentIntents = new Map<string, Json>();
  readonly charges = new Map<string, Json>();
  readonly refunds = new Map<string, Json>();
  readonly accounts = new Map<string, Json>();
  readonly customers = new Map<string, Json>();
  readonly paymentMethods = new Map<string, Json>();

  createPaymentIntent(params: Params): StripeReply {
    const amount = int(params.amount);
    if (amount === null || amount < 50)
      return invalid('Amount must be at least 50 cents', 'amount_too_small');
    if (params.currency !== 'eur') return invalid('Invalid currency', 'parameter_invalid_string');
    const id = newId('pi');
    const intent: Json = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      currency: 'eur',
      capture_method: params.capture_method ?? 'automatic',
      status: params.payment_method ? 'requires_confirmation' : 'requires_payment_method',
      client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
      metadata: params.metadata ?? {},
      transfer_data: params.transfer_data ?? null,
      application_fee_amount: int(params.application_fee_amount),
      payment_method: params.payment_method ?? null,
      latest_charge: null,
      cancellation_reason: null,
      created: nowSeconds(),
      livemode: false,
    };
    this.paymentIntents.set(id, intent);
    return params.confirm === 'true' ? this.confirmPaymentIntent(id, {}) : ok(intent);
  }

  retrievePaymentIntent(id: string, params: Params): StripeReply {
    const intent = this.paymentIntents.get(id);
    if (!intent) return missing('payment_intent', id);
    const expand = Object.values((params.expand as Json | undefined) ?? {});
    if (!expand.includes('latest_charge') || !intent.latest_charge) return ok(intent);
    return ok({ ...intent, latest_charge: this.charges.get(intent.latest_charge as string) });
  }

  /** What the mobile app does with the client secret: authorise the card. */
  confirmPaymentIntent(id: string, params: Params): StripeReply {
    const intent = this.paymentIntents.get(id);
    if (!intent) return missing('payment_intent', id);
    if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status as string)) {
      return unexpectedState(intent, 'confirmed');
    }
    const paymentMethod = (params.payment_method ?? intent.payment_method) as string | null;
    if (!paymentMethod)
      return invalid('You must provide a payment method', 'payment_intent_unexpected_state');
    if (paymentMethod === DECLINED_PAYMENT_METHOD) {
      intent.status = 'requires_payment_method';
      return stripeError(402, 'card_error', 'Your card was declined.', {
        code: 'card_declined',
        decline_code: 'generic_decline',
      });
    }
    const manual = intent.capture_method === 'manual';
    const charge: Json = {
      id: newId('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_captured: manual ? 0 : intent.amount,
      amount_refunded: 0,
      captured: !manual,
      refunded: false,
      payment_intent: id,
      status: 'succeeded',
    };
    this.charges.set(charge.id as string, charge);
    Object.assign(intent, {
      payment_method: paymentMethod,
      latest_charge: charge.id,
      status: manual ? 'requires_capture' : 'succeeded',
      amount_capturable: manual ? intent.amount : 0,
      amount_received: manual ? 0 : intent.amount,
    });
    return ok(intent);
  }

  capturePaymentIntent(id: string, params: Params): StripeReply {
    const intent = this.paymentIntents.get(id);
    if (!intent) return missing('payment_intent', id);
    if (intent.status !== 'requires_capture') return unexpectedState(intent, 'captured');
    const amount =
      params.amount_to_capture === undefined ? intent.amount_capturable : int(params.amount_to_capture);
    if (
      amount === null ||
      (amount as number) < 1 ||
      (amount as number) > (intent.amount_capturable as number)
    ) {
      return invalid('amount_to_capture must be at most the amount capturable', 'amount_too_large');
    }
    const charge = this.charges.get(intent.latest_charge as string) as Json;
    Object.assign(charge, { amount_captured: amount, captured: true });
    // Capturing less releases the rest of the hold, as Stripe does.
    Object.assign(intent, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
    return ok(intent);
  }

  cancelPaymentIntent(id: string, params: Params): StripeReply {
    const intent = this.paymentIntents.get(id);
    if (!intent) return missing('payment_intent', id);
    if (!CANCELABLE.includes(intent.status as string)) return unexpectedState(intent, 'canceled');
    Object.assign(intent, {
      status: 'canceled',
      amount_capturable: 0,
      cancellation_reason: params.cancellation_reason ?? 'requested_by_customer',
    });
    return ok(intent);
  }

  createRefund(params: Params): StripeReply {
    const intentId = params.payment_intent as string | undefined;
    if (!intentId) return invalid('You must pass a payment_intent or a charge', 'parameter_missing');
    const intent = this.paymentIntents.get(intentId);
    if (!intent) return missing('payment_intent', intentId);
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge as string) : undefined;
    if (!charge || !charge.captured)
      return invalid('This PaymentIntent does not have a successful charge to refund.');
    const refundable = (charge.amount_captured as number) - (charge.amount_refunded as number);
    if (refundable === 0) return invalid('Charge has already been refunded.', 'charge_already_refunded');
    const amount = params.amount === undefined ? refundable : int(params.amount);
    if (amount === null || amount < 1 || amount > refundable) {
      return invalid(
        `Refund amount is greater than unrefunded amount on charge (${refundable})`,
        'amount_too_large',
      );
    }
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    const refund: Json = {
      id: newId('re'),
      object: 'refund',
      amount,
      currency: 'eur',
      payment_intent: intentId,
      charge: charge.id,
      status: 'succeeded',
      metadata: params.metadata ?? {},
    };
    this.refunds.set(refund.id as string, refund);
    return ok(refund);
  }

  createAccount(params: Params): StripeReply {
    if (params.type !== 'express')
      return invalid('Only Express accounts are supported here', 'parameter_invalid_string');
    return ok(this.putAccount(newId('acct'), { country: params.country, email: params.email }));
  }

  /** An account known to the fake, e.g. the fixture `acct_test_fixture`. */
  putAccount(id: string, fields: Json = {}): Json {
    const account: Json = {
      id,
      object: 'account',
      type: 'express',
      country: 'FR',
      email: null,
      capabilities: { card_payments: 'inactive', transfers: 'inactive' },
      details_submitted: false,
      charges_enabled: false,
      payouts_enabled: false,
      ...fields,
    };
    this.accounts.set(id, account);
    return account;
  }

  retrieveAccount(id: string): StripeReply {
    const account = this.accounts.get(id);
    return account ? ok(account) : missing('account', id);
  }

  deleteAccount(id: string): StripeReply {
    if (!this.accounts.delete(id)) return missing('account', id);
    return ok({ id, object: 'account', deleted: true });
  }

  createAccountLink(params: Params): StripeReply {
    const accountId = params.account as string;
    if (!this.accounts.has(accountId)) return missing('account', accountId);
    if (params.type !== 'account_onboarding' && params.type !== 'account_update') {
      return invalid('Invalid type', 'parameter_invalid_string');
    }
    if (!params.refresh_url || !params.return_url)
      return invalid('refresh_url and return_url are required', 'parameter_missing');
    return ok({
      object: 'account_link',
      url: `https://connect.stripe.com/setup/e/${accountId}/${randomBytes(8).toString('hex')}`,
      created: nowSeconds(),
      expires_at: nowSeconds() + 300,
    });
  }

  createLoginLink(accountId: string): StripeReply {
    const account = this.accounts.get(accountId);
    if (!account) return missing('account', accountId);
    if (!account.details_submitted) {
      return invalid('Cannot create a login link for an account that has not completed onboarding.');
    }
    return ok({
      object: 'login_link',
      url: `https://connect.stripe.com/express/${randomBytes(8).toString('hex')}`,
      created: nowSeconds(),
    });
  }

  createCustomer(params: Params): StripeReply {
    const customer: Json = {
      id: newId('cus'),
      object: 'customer',
      email: params.email ?? null,
      metadata: params.metadata ?? {},
    };
    this.customers.set(customer.id as string, customer);
    return ok(customer);
  }

  retrieveCustomer(id: string): StripeReply {
    const customer = this.customers.get(id);
    return customer ? ok(customer) : missing('customer', id);
  }

  createEphemeralKey(params: Params, stripeVersion: string | undefined): StripeReply {
    if (!stripeVersion) return invalid('Stripe-Version header is required for ephemeral keys');
    const customer = params.customer as string;
    if (!this.customers.has(customer)) return missing('customer', customer);
    return ok({
      id: newId('ephkey'),
      object: 'ephemeral_key',
      secret: `ek_test_${randomBytes(16).toString('hex')}`,
      associated_objects: [{ id: customer, type: 'customer' }],
      expires: nowSeconds() + 3600,
    });
  }

  /** A saved card of a customer, as the app's SetupIntent would leave it. */
  putCard(
    customerId: string,
    card: { brand: string; last4: string; exp_month: number; exp_year: number },
  ): Json {
    const method: Json = {
      id: newId('pm'),
      object: 'payment_method',
      type: 'card',
      customer: customerId,
      card,
    };
    this.paymentMethods.set(method.id as string, method);
    return method;
  }

  listPaymentMethods(params: Params): StripeReply {
    const data = [...this.paymentMethods.values()].filter(
      (m) => m.customer === params.customer && m.type === (params.type ?? 'card'),
    );
    return ok({ object: 'list', url: '/v1/payment_methods', has_more: false, data });
  }

  retrievePaymentMethod(id: string): StripeReply {
    const method = this.paymentMethods.get(id);
    return method ? ok(method) : missing('payment_method', id);
  }

  detachPaymentMethod(id: string): StripeReply {
    const method = this.paymentMethods.get(id);
    if (!method) return missing('payment_method', id);
    if (!method.customer) return invalid('The payment method you provided is not attached to a customer.');
    method.customer = null;
    return ok(method);
  }
}
