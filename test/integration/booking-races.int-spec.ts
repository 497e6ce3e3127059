import { type BookingStatus } from '../../src/bookings/domain/booking-status';
import { createBookingParties, type BookingParties } from '../support/booking-factories';
import { insertPaidBooking, moveSlotTo } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { bearer, forgeToken } from '../support/factories';
import { newIp } from '../support/http';
import { useStripeTestApp } from '../support/stripe-test-app';

const NOW = new Date('2026-03-02T09:00:00Z');
const ROUNDS = 20;

interface Transition {
  from_status: string;
  to_status: string;
  event: string;
}

/**
 * I-2 (H-006/H-007), I-5, I-3: concurrent requests on one booking, over real connections, each race
 * run ROUNDS times. Every request gets a decision on the state left by the one before it: the
 * winners are legal transitions in sequence, the losers 409 (never a 500), and the money matches.
 */
describe('booking races (bookings-payments §2.4, §10)', () => {
  const clock = new FixedClock(NOW);
  const ctx = useStripeTestApp({ clock });

  const patch = (path: string, token: string, body?: object) => {
    const call = ctx.testApp.http.patch(path).set('X-Forwarded-For', newIp()).set(bearer(token));
    return body ? call.send(body) : call;
  };
  const booking = async (status: BookingStatus) => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    await moveSlotTo(ctx.testApp.dataSource, parties.slotId, new Date(NOW.getTime() + 72 * 3_600_000));
    return { parties, ...(await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, parties, { status })) };
  };
  const buyerToken = (parties: BookingParties) => forgeToken({ sub: parties.buyer.id });
  const history = (id: string): Promise<Transition[]> =>
    ctx.testApp.dataSource.query(
      'SELECT from_status, to_status, event FROM booking_transitions WHERE booking_id = $1 ORDER BY id',
      [id],
    );
  const statusOf = async (id: string) =>
    (await ctx.testApp.dataSource.query('SELECT status FROM bookings WHERE id = $1', [id]))[0]
      .status as string;
  const moneyCalls = (paymentIntentId: string) =>
    ctx.fake
      .calls()
      .filter((c) => c.method === 'POST' && c.path.startsWith(`/v1/payment_intents/${paymentIntentId}/`))
      .length +
    ctx.fake.calls().filter((c) => c.path === '/v1/refunds' && c.params.payment_intent === paymentIntentId)
      .length;

  it('I-5 / I-2: cancel ∥ cancel by the buyer → one 200, one 409, one Stripe money call', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { parties, id, paymentIntentId } = await booking('confirmed');
      const token = buyerToken(parties);

      const responses = await Promise.all([
        patch(`/bookings/${id}/cancel`, token),
        patch(`/bookings/${id}/cancel`, token),
      ]);

      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(moneyCalls(paymentIntentId)).toBe(1);
      expect(await history(id)).toEqual([
        { from_status: 'confirmed', to_status: 'cancelled', event: 'cancel' },
      ]);
      await ctx.assertMoneyConsistent(id);
    }
  });

  it('I-4 / C-005: cancel ∥ cancel in the 0 % band → one capture for the mechanic, never two', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { parties, id, paymentIntentId } = await booking('confirmed');
      await moveSlotTo(ctx.testApp.dataSource, parties.slotId, new Date(NOW.getTime() + 3_600_000));
      const token = buyerToken(parties);

      const responses = await Promise.all([
        patch(`/bookings/${id}/cancel`, token),
        patch(`/bookings/${id}/cancel`, token),
      ]);

      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(ctx.fake.calls(new RegExp(`POST /v1/payment_intents/${paymentIntentId}/capture`))).toHaveLength(
        1,
      );
      await ctx.assertMoneyConsistent(id);
    }
  });

  it('I-2: accept ∥ cancel ∥ refuse → every winner was legal on the state before it, the rest 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { parties, id, paymentIntentId } = await booking('pending_acceptance');
      const attempts = [
        { event: 'accept', request: patch(`/bookings/${id}/accept`, parties.mechanic.token) },
        { event: 'cancel', request: patch(`/bookings/${id}/cancel`, buyerToken(parties)) },
        {
          event: 'refuse',
          request: patch(`/bookings/${id}/refuse`, parties.mechanic.token, { reason: 'other' }),
        },
      ];
      const responses = await Promise.all(attempts.map((a) => a.request));

      const winners = attempts.filter((_, i) => responses[i].status === 200).map((a) => a.event);
      expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
      const steps = await history(id);
      // The recorded history is exactly the winners, a chain starting from pending_acceptance.
      expect(steps.map((s) => s.event).sort()).toEqual([...winners].sort());
      steps.forEach((step, i) =>
        expect(step.from_status).toBe(i === 0 ? 'pending_acceptance' : steps[i - 1].to_status),
      );
      // Legal chains only: accept may be followed by a cancel of the confirmed booking; nothing follows a cancellation.
      expect([['accept'], ['accept', 'cancel'], ['cancel'], ['refuse']]).toContainEqual(
        steps.map((s) => s.event),
      );
      expect(await statusOf(id)).toBe(steps[steps.length - 1].to_status);
      expect(moneyCalls(paymentIntentId)).toBe(steps.some((s) => s.to_status === 'cancelled') ? 1 : 0);
      await ctx.assertMoneyConsistent(id);
    }
  });

  it('I-3: webhook payment_intent.canceled ∥ accept → the booking ends cancelled, whoever went first', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { parties, id, paymentIntentId } = await booking('pending_acceptance');
      // The authorisation lapsed at Stripe; its event races the mechanic's accept.
      ctx.fake.objects.cancelPaymentIntent(paymentIntentId, { cancellation_reason: 'automatic' });
      const event = ctx.fake.event(
        'payment_intent.canceled',
        ctx.fake.objects.paymentIntents.get(paymentIntentId)!,
      );

      const [webhook, accepted] = await Promise.all([
        ctx.fake.deliver(ctx.testApp.http, event, newIp()),
        patch(`/bookings/${id}/accept`, parties.mechanic.token),
      ]);

      expect(webhook.status).toBe(200);
      expect([200, 409]).toContain(accepted.status);
      const steps = (await history(id)).map((s) => `${s.from_status}→${s.to_status}`);
      expect(steps).toEqual(
        accepted.status === 200
          ? ['pending_acceptance→confirmed', 'confirmed→cancelled']
          : ['pending_acceptance→cancelled'],
      );
      expect(await statusOf(id)).toBe('cancelled');
      await ctx.assertMoneyConsistent(id);
    }
  });
});
