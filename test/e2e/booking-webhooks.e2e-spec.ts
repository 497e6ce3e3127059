import { createBookingParties } from '../support/booking-factories';
import { bookingRow, insertPaidBooking, type IntentState, slotIsBooked } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { newIp } from '../support/http';
import { useStripeTestApp } from '../support/stripe-test-app';

const NOW = new Date('2026-03-02T09:00:00Z');

describe('Stripe webhooks that move bookings (bookings-payments §4.8, T6, T7, T14)', () => {
  const clock = new FixedClock(NOW);
  const ctx = useStripeTestApp({ clock });

  const booking = async (columns: Record<string, unknown>, state: IntentState = 'requires_capture') => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    return {
      parties,
      ...(await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, parties, columns, state)),
    };
  };
  /** Stripe's side of the event first (the PaymentIntent's object as it is now), then the delivery. */
  const deliver = async (type: string, paymentIntentId: string, extra: Record<string, unknown> = {}) => {
    const object = {
      ...(ctx.fake.objects.paymentIntents.get(paymentIntentId) ?? { id: paymentIntentId }),
      ...extra,
    };
    const response = await ctx.fake.deliver(ctx.testApp.http, ctx.fake.event(type, object), newIp());
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: { status: 'ok' } });
  };
  const row = (id: string) => bookingRow(ctx.testApp.dataSource, id);
  const transitions = async (id: string) =>
    ctx.testApp.dataSource.query(
      'SELECT from_status, to_status, event, actor_role FROM booking_transitions WHERE booking_id = $1 ORDER BY id',
      [id],
    );

  it('PAY-08: payment_intent.succeeded completes a validated booking', async () => {
    const { id, paymentIntentId } = await booking({ status: 'validated' }, 'succeeded');

    const event = ctx.fake.event(
      'payment_intent.succeeded',
      ctx.fake.objects.paymentIntents.get(paymentIntentId)!,
    );
    const response = await ctx.fake.deliver(ctx.testApp.http, event, newIp());

    expect(response.body).toEqual({ status: 'ok' });
    expect(await row(id)).toMatchObject({ status: 'completed', payment_released_at: NOW });
    expect(await transitions(id)).toEqual([
      { from_status: 'validated', to_status: 'completed', event: 'payment_succeeded', actor_role: 'system' },
    ]);
    const processed = await ctx.testApp.dataSource.query(
      'SELECT 1 FROM processed_webhook_events WHERE event_id = $1',
      [event.id],
    );
    expect(processed).toHaveLength(1);
    await ctx.assertMoneyConsistent(id);
  });

  it('PAY-09: payment_intent.succeeded for a confirmed booking, or an unknown PaymentIntent, changes nothing', async () => {
    const { id, paymentIntentId } = await booking({ status: 'confirmed' });
    await deliver('payment_intent.succeeded', paymentIntentId);
    await deliver('payment_intent.succeeded', 'pi_unknown_to_us');
    expect((await row(id)).status).toBe('confirmed');
    expect(await transitions(id)).toEqual([]);
    await ctx.assertMoneyConsistent(id);
  });

  it('PAY-10: payment_intent.payment_failed cancels a pending booking (cancelled_by buyer, slot freed); a confirmed one stays', async () => {
    const pending = await booking({ status: 'pending_acceptance' }, 'requires_payment_method');
    const confirmed = await booking({ status: 'confirmed' });

    await deliver('payment_intent.payment_failed', pending.paymentIntentId);
    await deliver('payment_intent.payment_failed', confirmed.paymentIntentId);

    expect(await row(pending.id)).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'buyer',
      cancelled_at: NOW,
      refund_amount: null,
    });
    expect(await slotIsBooked(ctx.testApp.dataSource, pending.parties.slotId)).toBe(false);
    expect((await row(confirmed.id)).status).toBe('confirmed');
    expect(await slotIsBooked(ctx.testApp.dataSource, confirmed.parties.slotId)).toBe(true);
    // §11.1: webhook cancellations notify nobody.
    const notified = await ctx.testApp.dataSource.query('SELECT 1 FROM notifications WHERE data->>$1 = $2', [
      'booking_id',
      pending.id,
    ]);
    expect(notified).toEqual([]);
    await ctx.assertMoneyConsistent(pending.id);
    await ctx.assertMoneyConsistent(confirmed.id);
  });

  it('PAY-11: payment_intent.canceled cancels pending and confirmed bookings; check_in_done stays', async () => {
    const pending = await booking({ status: 'pending_acceptance' }, 'canceled');
    const confirmed = await booking({ status: 'confirmed' }, 'canceled');
    const inProgress = await booking({ status: 'check_in_done' }, 'canceled');

    for (const b of [pending, confirmed, inProgress])
      await deliver('payment_intent.canceled', b.paymentIntentId);

    for (const b of [pending, confirmed]) {
      expect(await row(b.id)).toMatchObject({ status: 'cancelled', cancelled_by: 'buyer' });
      expect(await slotIsBooked(ctx.testApp.dataSource, b.parties.slotId)).toBe(false);
      await ctx.assertMoneyConsistent(b.id);
    }
    expect((await row(inProgress.id)).status).toBe('check_in_done');
  });

  it("N13.21 / I-3: the canceled event of the app's own refusal finds the booking cancelled and keeps cancelled_by", async () => {
    const { parties, id, paymentIntentId } = await booking({ status: 'pending_acceptance' });
    const refused = await ctx.testApp.http
      .patch(`/bookings/${id}/refuse`)
      .set('X-Forwarded-For', newIp())
      .set({ Authorization: `Bearer ${parties.mechanic.token}` })
      .send({ reason: 'other' });
    expect(refused.status).toBe(200);

    await deliver('payment_intent.canceled', paymentIntentId);

    expect(await row(id)).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'mechanic',
      refund_percentage: 100,
    });
    expect(await transitions(id)).toHaveLength(1);
    await ctx.assertMoneyConsistent(id);
  });

  it('PAY-12: amount_capturable_updated and charge.refund.created change no state; the first records the authorisation', async () => {
    const { parties, id, paymentIntentId } = await booking({
      status: 'pending_acceptance',
      payment_authorized_at: null,
    });

    await deliver('payment_intent.amount_capturable_updated', paymentIntentId, { amount_capturable: 4000 });
    const refund = ctx.fake.event('charge.refund.created', {
      id: 're_1',
      payment_intent: paymentIntentId,
      amount: 4000,
    });
    expect((await ctx.fake.deliver(ctx.testApp.http, refund, newIp())).body).toEqual({ status: 'ok' });

    expect(await row(id)).toMatchObject({ status: 'pending_acceptance', payment_authorized_at: NOW });
    expect(await transitions(id)).toEqual([]);
    // N13.15 [REC]: with the authorisation seen, the mechanic may accept.
    const accepted = await ctx.testApp.http
      .patch(`/bookings/${id}/accept`)
      .set('X-Forwarded-For', newIp())
      .set({ Authorization: `Bearer ${parties.mechanic.token}` });
    expect(accepted.status).toBe(200);
    await ctx.assertMoneyConsistent(id);
  });
});
