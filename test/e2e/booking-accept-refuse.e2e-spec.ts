import { randomUUID } from 'node:crypto';
import { PAYMENT_FAILED_MESSAGE } from '../../src/payments/domain/payment-errors';
import { createBookingParties, type BookingParties } from '../support/booking-factories';
import { bookingRow, insertPaidBooking, notificationData, slotIsBooked } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { bearer, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { useStripeTestApp } from '../support/stripe-test-app';

describe('PATCH /bookings/{id}/accept and /refuse (bookings-payments §3.2, §3.3)', () => {
  const clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
  const ctx = useStripeTestApp({ clock });

  beforeEach(() => ctx.fake.reset());

  const patch = (path: string, token: string, body?: object) => {
    const call = ctx.testApp.http.patch(path).set('X-Forwarded-For', newIp()).set(bearer(token));
    return body ? call.send(body) : call;
  };
  const accept = (id: string, token: string) => patch(`/bookings/${id}/accept`, token);
  const refuse = (id: string, token: string, body: object = { reason: 'too_far' }) =>
    patch(`/bookings/${id}/refuse`, token, body);
  const row = (id: string) => bookingRow(ctx.testApp.dataSource, id);
  const notifications = (userId: string, type: string) =>
    notificationData(ctx.testApp.dataSource, userId, type);
  const parties = () => createBookingParties(ctx.testApp.dataSource);
  const booking = (p: BookingParties, columns = {}, state?: Parameters<typeof insertPaidBooking>[4]) =>
    insertPaidBooking(ctx.testApp.dataSource, ctx.fake, p, columns, state);

  describe('accept', () => {
    it('ACC-01: the mechanic accepts: 200 with the mechanic view, confirmed_at, buyer notified, no capture', async () => {
      const p = await parties();
      const { id } = await booking(p);

      const response = await accept(id, p.mechanic.token);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id,
        status: 'confirmed',
        confirmed_at: '2026-03-02T09:00:00.000Z',
      });
      // N13.24 [REC]: the mechanic view, without the price the buyer pays or the commission.
      expect(response.body).not.toHaveProperty('total_price');
      expect(response.body).not.toHaveProperty('commission_amount');
      expect(response.body).toHaveProperty('mechanic_payout', '32.00');
      expect(await row(id)).toMatchObject({ status: 'confirmed', confirmed_at: clock.now() });
      expect(await notifications(p.buyer.id, 'booking_confirmed')).toEqual([
        { data: { type: 'booking_confirmed', booking_id: id } },
      ]);
      expect(ctx.fake.calls()).toEqual([]);
      await ctx.assertMoneyConsistent(id);
    });

    it("ACC-02: accepting another mechanic's booking is 403", async () => {
      const [mine, theirs] = await Promise.all([parties(), parties()]);
      const { id } = await booking(theirs);
      expectDomainError(await accept(id, mine.mechanic.token), 403, 'Not your booking', 'not_your_booking');
      expect((await row(id)).status).toBe('pending_acceptance');
    });

    it('ACC-03: accepting a booking that is not pending is 409', async () => {
      const p = await parties();
      const { id } = await booking(p, { status: 'confirmed' });
      expectDomainError(
        await accept(id, p.mechanic.token),
        409,
        "Cannot accept: booking status is 'confirmed'",
        'booking_state_conflict',
      );
    });

    it('ACC-04: an unknown booking is 404; an id that is not a UUID is 422', async () => {
      const p = await parties();
      expectDomainError(
        await accept(randomUUID(), p.mechanic.token),
        404,
        'Booking not found',
        'booking_not_found',
      );
      expect((await accept('not-a-uuid', p.mechanic.token)).status).toBe(422);
    });

    it('T2: no PaymentIntent is 400; a payment not authorised yet is 400 (N13.15 [REC])', async () => {
      const p = await parties();
      const { id } = await booking(p, { stripe_payment_intent_id: null });
      expectDomainError(
        await accept(id, p.mechanic.token),
        400,
        'Booking has no payment associated',
        'booking_without_payment',
      );
      const q = await parties();
      const unpaid = await booking(q, {}, 'requires_payment_method');
      expectDomainError(
        await accept(unpaid.id, q.mechanic.token),
        400,
        'The payment has not been authorised yet. Please try again later.',
        'payment_not_authorized',
      );
    });

    it('a buyer cannot accept (403 "Only mechanics…")', async () => {
      const p = await parties();
      const { id } = await booking(p);
      const response = await accept(id, forgeToken({ sub: p.buyer.id }));
      expect(response.status).toBe(403);
      expect(response.body.detail).toBe('Only mechanics can access this resource');
    });
  });

  describe('refuse', () => {
    it('ACC-05: the mechanic refuses: hold released with refuse_{id}, refund fields, slot freed, buyer notified', async () => {
      const p = await parties();
      const { id, paymentIntentId } = await booking(p);

      const response = await refuse(id, p.mechanic.token, { reason: 'too_far' });

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'cancelled', reason: 'too_far', proposed_time: null },
      });
      expect(await row(id)).toMatchObject({
        status: 'cancelled',
        cancelled_by: 'mechanic',
        refund_percentage: 100,
        refund_amount: '40.00',
        refuse_reason: 'too_far',
        proposed_time: null,
        cancelled_at: clock.now(),
      });
      expect(await slotIsBooked(ctx.testApp.dataSource, p.slotId)).toBe(false);
      expect(await notifications(p.buyer.id, 'booking_refused')).toEqual([
        { data: { type: 'booking_refused', booking_id: id, reason: 'too_far', proposed_time: null } },
      ]);
      expect(ctx.fake.calls().map((c) => `${c.method} ${c.path} ${c.idempotencyKey ?? ''}`.trim())).toEqual([
        `GET /v1/payment_intents/${paymentIntentId}`,
        `POST /v1/payment_intents/${paymentIntentId}/cancel refuse_${id}`,
      ]);
      await ctx.assertMoneyConsistent(id);
    });

    it('ACC-06: a refusal with a proposed time echoes and stores it, and frees the slot', async () => {
      const p = await parties();
      const { id } = await booking(p);
      const response = await refuse(id, p.mechanic.token, {
        reason: 'not_available',
        proposed_time: '14:30',
      });
      expect(response.body).toEqual({ status: 'cancelled', reason: 'not_available', proposed_time: '14:30' });
      expect(await row(id)).toMatchObject({ proposed_time: '14:30', refuse_reason: 'not_available' });
      expect(await slotIsBooked(ctx.testApp.dataSource, p.slotId)).toBe(false);
      await ctx.assertMoneyConsistent(id);
    });

    it("ACC-07: refusing another mechanic's booking is 403; refusing a confirmed one is 409", async () => {
      const [mine, theirs] = await Promise.all([parties(), parties()]);
      const other = await booking(theirs);
      expectDomainError(
        await refuse(other.id, mine.mechanic.token),
        403,
        'Not your booking',
        'not_your_booking',
      );
      const confirmed = await booking(mine, { status: 'confirmed' });
      expectDomainError(
        await refuse(confirmed.id, mine.mechanic.token),
        409,
        "Cannot refuse a booking in 'confirmed' status",
        'booking_state_conflict',
      );
      expect(ctx.fake.calls()).toEqual([]);
    });

    it('ACC-08 / H-022: a failed Stripe cancel is the generic 500; the booking stays pending and its slot booked', async () => {
      const p = await parties();
      const { id } = await booking(p);
      // The SDK retries twice on a 500, with the same key: all three fail.
      ctx.fake.failNext(3, { kind: 'http_500' }, { method: 'POST', path: /\/cancel$/ });

      const response = await refuse(id, p.mechanic.token);

      expectDomainError(response, 500, PAYMENT_FAILED_MESSAGE, 'payment_failed');
      expect(JSON.stringify(response.body)).not.toMatch(/unknown error|api_error/);
      expect(await row(id)).toMatchObject({
        status: 'pending_acceptance',
        cancelled_at: null,
        refund_amount: null,
      });
      expect(await slotIsBooked(ctx.testApp.dataSource, p.slotId)).toBe(true);
      expect(await notifications(p.buyer.id, 'booking_refused')).toEqual([]);
      await ctx.assertMoneyConsistent(id);
    });

    it('the refusal body is validated: an unknown reason or a malformed time is 422', async () => {
      const p = await parties();
      const { id } = await booking(p);
      for (const body of [{ reason: 'bored' }, { reason: 'other', proposed_time: '2pm' }, {}]) {
        expect((await refuse(id, p.mechanic.token, body)).status).toBe(422);
      }
      expect((await row(id)).status).toBe('pending_acceptance');
    });
  });
});
