import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { IdempotencyKeys } from '../../src/payments/domain/idempotency-keys';
import { type PaymentReference } from '../../src/payments/domain/payment-gateway';
import { DEV_DASHBOARD_URL, DevPaymentGateway } from '../../src/payments/stripe/dev-payment-gateway';
import { StripePaymentGateway } from '../../src/payments/stripe/stripe-payment-gateway';
import { FAKE_STRIPE_SECRET_KEY, FakeStripe } from '../support/fake-stripe/fake-stripe';

/**
 * Contract of the Stripe gateway against the fake Stripe API, through the real SDK
 * (bookings-payments §4.2–§4.7): every operation, every status branch, every key, every fault.
 */
describe('StripePaymentGateway against the fake Stripe (bookings-payments §4)', () => {
  let fake: FakeStripe;
  let latency: Histogram<string>;
  let gateway: StripePaymentGateway;
  let errors: jest.SpyInstance;

  const bookingId = () => randomUUID();
  const ref = (id: string): PaymentReference => ({ bookingId: id });

  function newGateway(timeoutMs?: number) {
    return new StripePaymentGateway(
      {
        secretKey: FAKE_STRIPE_SECRET_KEY,
        apiUrl: fake.url,
        refreshUrl: 'https://emecano.fr/stripe/refresh',
        returnUrl: 'https://emecano.fr/stripe/return',
        timeoutMs,
      },
      latency,
      new DevPaymentGateway(),
    );
  }

  /** A PaymentIntent the buyer's app has confirmed: an authorised hold of `amount` cents. */
  async function authorisedIntent(amount = 5000): Promise<string> {
    const intent = await fake.client().paymentIntents.create({
      amount,
      currency: 'eur',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(intent.status).toBe('requires_capture');
    return intent.id;
  }

  const intentStatus = (id: string) => fake.objects.paymentIntents.get(id)?.status;
  const setIntentStatus = (id: string, status: string) => {
    (fake.objects.paymentIntents.get(id) as Record<string, unknown>).status = status;
  };

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    latency = new Histogram({
      name: 'test_stripe_latency',
      help: 'x',
      labelNames: ['operation'],
      registers: [],
    });
    gateway = newGateway();
  });

  beforeEach(() => {
    fake.reset();
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => errors.mockRestore());
  afterAll(() => fake.stop());

  describe('authorisation (§4.2)', () => {
    it('D5: creates a manual-capture euro PaymentIntent with the transfer to the mechanic and the commission', async () => {
      const key = IdempotencyKeys.bookingAuthorization(randomUUID(), randomUUID());
      const outcome = await gateway.createAuthorization({
        amountCents: 5000,
        commissionCents: 1000,
        buyerId: 'buyer-1',
        mechanicProfileId: 'profile-1',
        destinationAccountId: 'acct_test_fixture',
        key,
        reference: ref(bookingId()),
      });

      expect(outcome).toEqual({
        status: 'created',
        paymentIntentId: expect.stringMatching(/^pi_/),
        clientSecret: expect.stringMatching(/_secret_/),
      });
      expect(fake.calls()).toEqual([
        expect.objectContaining({
          method: 'POST',
          path: '/v1/payment_intents',
          idempotencyKey: key,
          params: {
            amount: '5000',
            currency: 'eur',
            capture_method: 'manual',
            metadata: { buyer_id: 'buyer-1', mechanic_id: 'profile-1' },
            transfer_data: { destination: 'acct_test_fixture' },
            application_fee_amount: '1000',
          },
        }),
      ]);
    });

    it('§4.9: a development mechanic account gets a real PaymentIntent without transfer nor fee', async () => {
      await gateway.createAuthorization({
        amountCents: 4000,
        commissionCents: 800,
        buyerId: 'b',
        mechanicProfileId: 'm',
        destinationAccountId: 'acct_mock_123',
        key: IdempotencyKeys.bookingAuthorization(randomUUID(), randomUUID()),
        reference: ref(bookingId()),
      });
      expect(fake.calls()[0].params).not.toHaveProperty('transfer_data');
      expect(fake.calls()[0].params).not.toHaveProperty('application_fee_amount');
    });

    it('I-9: a repeated key replays the same PaymentIntent; the same key with another amount is refused', async () => {
      const request = {
        amountCents: 5000,
        commissionCents: 1000,
        buyerId: 'b',
        mechanicProfileId: 'm',
        destinationAccountId: null,
        key: IdempotencyKeys.bookingAuthorization(randomUUID(), randomUUID()),
        reference: ref(bookingId()),
      };
      const first = await gateway.createAuthorization(request);
      const again = await gateway.createAuthorization(request);
      const changed = await gateway.createAuthorization({ ...request, amountCents: 6000 });

      expect(again).toEqual(first);
      expect(fake.calls().map((c) => c.replayed)).toEqual([false, true, false]);
      expect(changed).toEqual({ status: 'failed', reason: 'rejected', operation: 'create_payment_intent' });
      expect(fake.objects.paymentIntents.size).toBeGreaterThan(0);
    });
  });

  describe('capture (§4.5)', () => {
    it('C-005: captures an authorised hold with the release key', async () => {
      const id = bookingId();
      const pi = await authorisedIntent();
      expect(await gateway.capture(pi, IdempotencyKeys.release(id), ref(id))).toEqual({
        status: 'captured',
        amountCents: 5000,
      });
      expect(fake.calls(/capture$/)).toEqual([
        expect.objectContaining({ idempotencyKey: `release_${id}`, params: {} }),
      ]);
      expect(intentStatus(pi)).toBe('succeeded');
    });

    it('I-4: an already captured PaymentIntent is "already captured", without a second capture call', async () => {
      const id = bookingId();
      const pi = await authorisedIntent();
      await gateway.capture(pi, IdempotencyKeys.release(id), ref(id));
      fake.reset();
      expect(await gateway.capture(pi, IdempotencyKeys.release(id), ref(id))).toEqual({
        status: 'already_captured',
      });
      expect(fake.calls(/capture$/)).toEqual([]);
    });

    it('N13.15: an unauthorised or cancelled PaymentIntent is reported "not capturable", never captured', async () => {
      const id = bookingId();
      const unconfirmed = (
        await fake.client().paymentIntents.create({ amount: 5000, currency: 'eur', capture_method: 'manual' })
      ).id;
      const cancelled = await authorisedIntent();
      await fake.client().paymentIntents.cancel(cancelled);
      fake.reset();

      expect(await gateway.capture(unconfirmed, IdempotencyKeys.release(id), ref(id))).toEqual({
        status: 'not_capturable',
        paymentIntentStatus: 'requires_payment_method',
      });
      expect(await gateway.capture(cancelled, IdempotencyKeys.release(id), ref(id))).toEqual({
        status: 'not_capturable',
        paymentIntentStatus: 'canceled',
      });
      expect(fake.calls(/capture$/)).toEqual([]);
    });
  });

  describe('cancel or refund in full (§4.3)', () => {
    it('C-004: releases an authorised hold with the cancel key', async () => {
      const id = bookingId();
      const pi = await authorisedIntent();
      expect(await gateway.cancelOrRefundInFull(pi, IdempotencyKeys.cancel(id), ref(id))).toEqual({
        status: 'canceled',
      });
      expect(fake.calls(/cancel$/)).toEqual([expect.objectContaining({ idempotencyKey: `cancel_${id}` })]);
      expect(intentStatus(pi)).toBe('canceled');
    });

    it('I-5: a cancelled PaymentIntent is "already cancelled", without a call that would fail', async () => {
      const id = bookingId();
      const pi = await authorisedIntent();
      await gateway.cancelOrRefundInFull(pi, IdempotencyKeys.cancel(id), ref(id));
      fake.reset();
      expect(await gateway.cancelOrRefundInFull(pi, IdempotencyKeys.cancel(id), ref(id))).toEqual({
        status: 'already_canceled',
      });
      expect(fake.calls(/cancel$/)).toEqual([]);
    });

    it('refunds a captured PaymentIntent in full with fullrefund_{key}, then reports it already refunded', async () => {
      const id = bookingId();
      const pi = await authorisedIntent(4600);
      await fake.client().paymentIntents.capture(pi);

      expect(await gateway.cancelOrRefundInFull(pi, IdempotencyKeys.cancel(id), ref(id))).toEqual({
        status: 'refunded',
        refundId: expect.stringMatching(/^re_/),
        amountCents: 4600,
      });
      expect(fake.calls(/refunds$/)).toEqual([
        expect.objectContaining({
          idempotencyKey: `fullrefund_cancel_${id}`,
          params: { payment_intent: pi },
        }),
      ]);
      expect(await gateway.cancelOrRefundInFull(pi, IdempotencyKeys.cancel(id), ref(id))).toEqual({
        status: 'already_refunded',
      });
      expect(fake.calls(/refunds$/)).toHaveLength(1);
    });

    it('N13.10: a PaymentIntent still processing is a typed failure, not a call', async () => {
      const id = bookingId();
      const pi = await authorisedIntent();
      setIntentStatus(pi, 'processing');
      expect(await gateway.cancelOrRefundInFull(pi, IdempotencyKeys.cancel(id), ref(id))).toEqual({
        status: 'failed',
        reason: 'still_processing',
        operation: 'cancel_payment_intent',
      });
      expect(fake.calls(/cancel$/)).toEqual([]);
    });
  });

  describe('partial refund (§4.4)', () => {
    it('N13.8 D8: before capture, captures the share the buyer does not get back, with partcap_{key}', async () => {
      const id = bookingId();
      const pi = await authorisedIntent(5000);
      expect(await gateway.refundPartially(pi, 2500, IdempotencyKeys.partialRefund(id, 50), ref(id))).toEqual(
        {
          status: 'partially_captured',
          capturedCents: 2500,
        },
      );
      expect(fake.calls(/capture$/)).toEqual([
        expect.objectContaining({
          idempotencyKey: `partcap_refund_${id}_50pct`,
          params: { amount_to_capture: '2500' },
        }),
      ]);
      expect(fake.objects.paymentIntents.get(pi)).toMatchObject({
        status: 'succeeded',
        amount_received: 2500,
      });
    });

    it('after capture, refunds the amount with the refund key', async () => {
      const id = bookingId();
      const pi = await authorisedIntent(5000);
      await fake.client().paymentIntents.capture(pi);
      expect(await gateway.refundPartially(pi, 2500, IdempotencyKeys.partialRefund(id, 50), ref(id))).toEqual(
        {
          status: 'refunded',
          refundId: expect.stringMatching(/^re_/),
          amountCents: 2500,
        },
      );
      expect(fake.calls(/refunds$/)).toEqual([
        expect.objectContaining({
          idempotencyKey: `refund_${id}_50pct`,
          params: { payment_intent: pi, amount: '2500' },
        }),
      ]);
    });

    it('H-005 I-6: never refunds more than captured − refunded, and says so without a refund call', async () => {
      const id = bookingId();
      const pi = await authorisedIntent(5000);
      await fake.client().paymentIntents.capture(pi, { amount_to_capture: 3000 });
      await fake.client().refunds.create({ payment_intent: pi, amount: 1000 });
      fake.reset();

      expect(await gateway.refundPartially(pi, 2500, IdempotencyKeys.partialRefund(id, 50), ref(id))).toEqual(
        {
          status: 'failed',
          reason: 'exceeds_refundable',
          operation: 'refund_payment_intent',
        },
      );
      expect(fake.calls(/refunds$/)).toEqual([]);
      const before = await authorisedIntent(5000);
      expect(
        await gateway.refundPartially(before, 6000, IdempotencyKeys.partialRefund(id, 50), ref(id)),
      ).toMatchObject({
        reason: 'exceeds_refundable',
      });
    });

    it('releases the hold with cancel_{key} when nothing is left to capture or nothing was authorised', async () => {
      const [first, second] = [bookingId(), bookingId()];
      const whole = await authorisedIntent(5000);
      const unconfirmed = (
        await fake.client().paymentIntents.create({ amount: 5000, currency: 'eur', capture_method: 'manual' })
      ).id;
      fake.reset();

      expect(
        await gateway.refundPartially(whole, 5000, IdempotencyKeys.partialRefund(first, 50), ref(first)),
      ).toEqual({ status: 'canceled' });
      expect(
        await gateway.refundPartially(
          unconfirmed,
          2500,
          IdempotencyKeys.partialRefund(second, 50),
          ref(second),
        ),
      ).toEqual({ status: 'canceled' });
      expect(fake.calls(/cancel$/).map((c) => c.idempotencyKey)).toEqual([
        `cancel_refund_${first}_50pct`,
        `cancel_refund_${second}_50pct`,
      ]);
    });

    it('one key names one operation on one booking: reused on another PaymentIntent, Stripe refuses it', async () => {
      const id = bookingId();
      const [pi, other] = [await authorisedIntent(), await authorisedIntent()];
      await gateway.cancelOrRefundInFull(pi, IdempotencyKeys.cancel(id), ref(id));
      expect(await gateway.cancelOrRefundInFull(other, IdempotencyKeys.cancel(id), ref(id))).toEqual({
        status: 'failed',
        reason: 'rejected',
        operation: 'cancel_payment_intent',
      });
      expect(intentStatus(other)).toBe('requires_capture');
    });

    it('a cancelled PaymentIntent is reported cancelled; a processing one is a typed failure', async () => {
      const id = bookingId();
      const cancelled = await authorisedIntent();
      await fake.client().paymentIntents.cancel(cancelled);
      const processing = await authorisedIntent();
      setIntentStatus(processing, 'processing');

      expect(
        await gateway.refundPartially(cancelled, 100, IdempotencyKeys.partialRefund(id, 50), ref(id)),
      ).toEqual({
        status: 'canceled',
      });
      expect(
        await gateway.refundPartially(processing, 100, IdempotencyKeys.partialRefund(id, 50), ref(id)),
      ).toEqual({
        status: 'failed',
        reason: 'still_processing',
        operation: 'refund_payment_intent',
      });
    });
  });

  describe('Connect (§3.14, §3.15)', () => {
    it('PAY-01: an Express account in France for card payments and transfers, keyed by the profile', async () => {
      const profileId = randomUUID();
      const reference = { mechanicProfileId: profileId };
      const key = IdempotencyKeys.connectAccount(profileId);
      const created = await gateway.createConnectAccount('meca@emecano-test.fr', key, reference);
      const retried = await gateway.createConnectAccount('meca@emecano-test.fr', key, reference);

      expect(created).toEqual({ status: 'created', accountId: expect.stringMatching(/^acct_/) });
      expect(retried).toEqual(created);
      expect(fake.calls(/accounts$/)[0]).toMatchObject({
        idempotencyKey: `connect_account_${profileId}`,
        params: {
          type: 'express',
          country: 'FR',
          email: 'meca@emecano-test.fr',
          capabilities: { card_payments: { requested: 'true' }, transfers: { requested: 'true' } },
        },
      });
    });

    it('N13.27: reads whether onboarding is complete, and asks for onboarding and dashboard links', async () => {
      const reference = { mechanicProfileId: randomUUID() };
      const pending = fake.objects.putAccount(`acct_${randomUUID().slice(0, 8)}`).id as string;
      const done = fake.objects.putAccount(`acct_${randomUUID().slice(0, 8)}`, { details_submitted: true })
        .id as string;

      expect(await gateway.connectAccountState(pending, reference)).toEqual({
        status: 'found',
        onboardingComplete: false,
      });
      expect(await gateway.connectAccountState(done, reference)).toEqual({
        status: 'found',
        onboardingComplete: true,
      });
      expect(await gateway.onboardingLink(pending, reference)).toEqual({
        status: 'created',
        url: expect.stringContaining(pending),
      });
      expect(fake.calls(/account_links$/)[0].params).toEqual({
        account: pending,
        type: 'account_onboarding',
        refresh_url: 'https://emecano.fr/stripe/refresh',
        return_url: 'https://emecano.fr/stripe/return',
      });
      expect(await gateway.dashboardLink(done, reference)).toEqual({
        status: 'created',
        url: expect.stringMatching(/^https:\/\/connect\.stripe\.com\/express\//),
      });
      expect(await gateway.dashboardLink(pending, reference)).toEqual({
        status: 'failed',
        reason: 'rejected',
        operation: 'create_login_link',
      });
    });
  });

  describe('development ids (§4.9)', () => {
    it('PAY-04 N13.14: development and mock objects never reach Stripe', async () => {
      const id = bookingId();
      const reference = ref(id);
      expect(await gateway.capture('pi_mock_4000', IdempotencyKeys.release(id), reference)).toEqual({
        status: 'captured',
        amountCents: 0,
      });
      expect(await gateway.cancelOrRefundInFull('pi_dev_1', IdempotencyKeys.cancel(id), reference)).toEqual({
        status: 'canceled',
      });
      expect(
        await gateway.refundPartially('pi_dev_2', 100, IdempotencyKeys.partialRefund(id, 50), reference),
      ).toEqual({
        status: 'canceled',
      });
      expect(await gateway.connectAccountState('acct_mock_123', reference)).toEqual({
        status: 'found',
        onboardingComplete: true,
      });
      expect(await gateway.onboardingLink('acct_mock_123', reference)).toEqual({
        status: 'created',
        url: 'https://connect.stripe.com/mock-onboarding',
      });
      expect(await gateway.dashboardLink('acct_mock_123', reference)).toEqual({
        status: 'created',
        url: DEV_DASHBOARD_URL,
      });
      expect(fake.calls()).toEqual([]);
    });
  });

  describe('faults (H-022, N13.10, §12.6)', () => {
    const leaks = (outcome: unknown) =>
      /Your card|unknown error|timeout|socket|ECONN|req_|pi_|acct_/i.test(JSON.stringify(outcome));

    it('H-022: a card error is a typed outcome without Stripe’s words, logged in full with the booking id', async () => {
      const id = bookingId();
      fake.failNext(1, { kind: 'card_declined' });
      const outcome = await gateway.createAuthorization({
        amountCents: 5000,
        commissionCents: 1000,
        buyerId: 'b',
        mechanicProfileId: 'm',
        destinationAccountId: null,
        key: IdempotencyKeys.bookingAuthorization(randomUUID(), randomUUID()),
        reference: ref(id),
      });

      expect(outcome).toEqual({
        status: 'failed',
        reason: 'card_declined',
        operation: 'create_payment_intent',
      });
      expect(leaks(outcome)).toBe(false);
      expect(errors).toHaveBeenCalledWith(
        expect.objectContaining({
          event: 'stripe_call_failed',
          operation: 'create_payment_intent',
          booking_id: id,
          error_type: 'StripeCardError',
          code: 'card_declined',
          decline_code: 'generic_decline',
          message: 'Your card was declined.',
        }),
      );
      expect(JSON.stringify(errors.mock.calls)).not.toMatch(/"raw"|pm_card|client_secret/);
    });

    it('§12.6: two automatic retries with the same key recover from two server errors', async () => {
      const id = bookingId();
      const pi = await authorisedIntent();
      fake.reset();
      fake.failNext(2, { kind: 'http_500' }, { path: /capture$/ });

      expect(await gateway.capture(pi, IdempotencyKeys.release(id), ref(id))).toEqual({
        status: 'captured',
        amountCents: 5000,
      });
      expect(fake.calls(/capture$/).map((c) => [c.status, c.idempotencyKey])).toEqual([
        [500, `release_${id}`],
        [500, `release_${id}`],
        [200, `release_${id}`],
      ]);
    });

    it('N13.10: server errors beyond the retries are a typed "provider_error", and nothing moved', async () => {
      const id = bookingId();
      const pi = await authorisedIntent();
      fake.failNext(3, { kind: 'http_500' }, { path: /cancel$/ });
      const outcome = await gateway.cancelOrRefundInFull(pi, IdempotencyKeys.cancel(id), ref(id));
      expect(outcome).toEqual({
        status: 'failed',
        reason: 'provider_error',
        operation: 'cancel_payment_intent',
      });
      expect(leaks(outcome)).toBe(false);
      expect(intentStatus(pi)).toBe('requires_capture');
    });

    it('N13.10: connection resets beyond the retries are "unreachable"', async () => {
      const id = bookingId();
      const pi = await authorisedIntent();
      fake.failNext(4, { kind: 'connection_reset' }, { path: /^\/v1\/payment_intents\/[^/]+$/ });
      const outcome = await gateway.capture(pi, IdempotencyKeys.release(id), ref(id));
      expect(outcome).toEqual({
        status: 'failed',
        reason: 'unreachable',
        operation: 'retrieve_payment_intent',
      });
      expect(leaks(outcome)).toBe(false);
      expect(intentStatus(pi)).toBe('requires_capture');
    });

    it('I-15: a capture answered after the timeout is "unreachable", applied once, and a retry converges', async () => {
      const id = bookingId();
      const pi = await authorisedIntent();
      const impatient = newGateway(200);
      fake.failNext(3, { kind: 'delay', ms: 1_000 }, { path: /capture$/ });

      const outcome = await impatient.capture(pi, IdempotencyKeys.release(id), ref(id));
      expect(outcome).toEqual({
        status: 'failed',
        reason: 'unreachable',
        operation: 'capture_payment_intent',
      });
      // Stripe did the work the client stopped waiting for; the retries with the same key only replayed it.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(fake.calls(/capture$/).filter((c) => !c.replayed && c.status === 200)).toHaveLength(1);
      expect(await impatient.capture(pi, IdempotencyKeys.release(id), ref(id))).toEqual({
        status: 'already_captured',
      });
    });
  });

  it('M-030: times every Stripe request in emecano_stripe_call_duration_seconds{operation}', async () => {
    const counts = async () =>
      Object.fromEntries(
        (await latency.get()).values
          .filter((v) => v.metricName === 'test_stripe_latency_count')
          .map((v) => [v.labels.operation, v.value]),
      );
    const id = bookingId();
    const pi = await authorisedIntent();
    const before = await counts();
    await gateway.capture(pi, IdempotencyKeys.release(id), ref(id));
    const after = await counts();

    expect(after.retrieve_payment_intent - (before.retrieve_payment_intent ?? 0)).toBe(1);
    expect(after.capture_payment_intent - (before.capture_payment_intent ?? 0)).toBe(1);
  });
});
