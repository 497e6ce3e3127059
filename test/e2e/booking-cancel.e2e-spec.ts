import { randomUUID } from 'node:crypto';
import { PAYMENT_FAILED_MESSAGE } from '../../src/payments/domain/payment-errors';
import { METRIC } from '../../src/observability/metrics/metrics';
import { createBookingParties, type BookingParties, insertBooking } from '../support/booking-factories';
import {
  bookingRow,
  counterValue,
  insertPaidBooking,
  type IntentState,
  moveSlotTo,
  notificationData,
  slotIsBooked,
} from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { useStripeTestApp } from '../support/stripe-test-app';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const NOW = new Date('2026-03-02T09:00:00Z');

describe('PATCH /bookings/{id}/cancel (bookings-payments §3.4, §5)', () => {
  const clock = new FixedClock(NOW);
  const ctx = useStripeTestApp({ clock });

  beforeEach(() => ctx.fake.reset());

  const cancel = (id: string, token: string) =>
    ctx.testApp.http.patch(`/bookings/${id}/cancel`).set('X-Forwarded-For', newIp()).set(bearer(token));
  const buyerToken = (p: BookingParties) => forgeToken({ sub: p.buyer.id });
  const row = (id: string) => bookingRow(ctx.testApp.dataSource, id);
  const notifications = (userId: string, type: string) =>
    notificationData(ctx.testApp.dataSource, userId, type);
  /** `BK(status)` with its slot starting `ahead` ms from now. */
  const scenario = async (
    ahead: number,
    columns: Record<string, unknown> = { status: 'confirmed' },
    state: IntentState = 'requires_capture',
  ) => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    await moveSlotTo(ctx.testApp.dataSource, parties.slotId, new Date(NOW.getTime() + ahead));
    const booking = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, parties, columns, state);
    return { parties, ...booking };
  };
  const stripeCalls = () =>
    ctx.fake.calls().map((c) => `${c.method} ${c.path} ${c.idempotencyKey ?? ''}`.trim());
  const mutatingCalls = () => ctx.fake.calls().filter((c) => c.method === 'POST');

  it('CAN-01 / C-004 / M-030: buyer more than 24 h ahead: 100 %, cancel with cancel_{id}, slot freed, mechanic told', async () => {
    const before = await counterValue(METRIC.bookingsCancelled, { cancelled_by: 'buyer' });
    const { parties, id, paymentIntentId } = await scenario(72 * HOUR);

    const response = await cancel(id, buyerToken(parties));

    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { status: 'cancelled', cancelled_by: 'buyer', refund_percentage: 100, refund_amount: '40.00' },
    });
    expect(stripeCalls()).toEqual([
      `GET /v1/payment_intents/${paymentIntentId}`,
      `POST /v1/payment_intents/${paymentIntentId}/cancel cancel_${id}`,
    ]);
    expect(await row(id)).toMatchObject({
      status: 'cancelled',
      cancelled_at: NOW,
      cancelled_by: 'buyer',
      refund_percentage: 100,
      refund_amount: '40.00',
    });
    expect(await slotIsBooked(ctx.testApp.dataSource, parties.slotId)).toBe(false);
    expect(await notifications(parties.mechanic.id, 'booking_cancelled')).toEqual([
      { data: { type: 'booking_cancelled', booking_id: id, cancelled_by: 'buyer' } },
    ]);
    expect(await counterValue(METRIC.bookingsCancelled, { cancelled_by: 'buyer' })).toBe(before + 1);
    await ctx.assertMoneyConsistent(id);
  });

  it('CAN-02: 12–24 h ahead and captured: 50 %, a refund of 2500 with refund_{id}_50pct', async () => {
    const { parties, id, paymentIntentId } = await scenario(
      18 * HOUR,
      {
        status: 'confirmed',
        base_price: '40.00',
        travel_fees: '10.00',
        total_price: '50.00',
        commission_amount: '10.00',
        mechanic_payout: '40.00',
      },
      'succeeded',
    );

    const response = await cancel(id, buyerToken(parties));

    expect(response.body).toEqual({
      status: 'cancelled',
      cancelled_by: 'buyer',
      refund_percentage: 50,
      refund_amount: '25.00',
    });
    expect(mutatingCalls()).toEqual([
      expect.objectContaining({
        path: '/v1/refunds',
        params: { payment_intent: paymentIntentId, amount: '2500' },
        idempotencyKey: `refund_${id}_50pct`,
      }),
    ]);
    await ctx.assertMoneyConsistent(id);
  });

  it('CAN-02 / D8 / N13.8: 12–24 h ahead before capture: the other half is captured, never the whole hold released', async () => {
    const { parties, id, paymentIntentId } = await scenario(18 * HOUR);

    const response = await cancel(id, buyerToken(parties));

    expect(response.body).toMatchObject({ refund_percentage: 50, refund_amount: '20.00' });
    expect(mutatingCalls()).toEqual([
      expect.objectContaining({
        path: `/v1/payment_intents/${paymentIntentId}/capture`,
        params: { amount_to_capture: '2000' },
        idempotencyKey: `partcap_refund_${id}_50pct`,
      }),
    ]);
    expect(ctx.fake.objects.paymentIntents.get(paymentIntentId)).toMatchObject({
      status: 'succeeded',
      amount_received: 2000,
    });
    await ctx.assertMoneyConsistent(id);
  });

  it('CAN-03 / N13.9: less than 12 h ahead: 0 %, the mechanic is paid (capture with late_cancel_capture_{id})', async () => {
    const { parties, id, paymentIntentId } = await scenario(6 * HOUR);

    const response = await cancel(id, buyerToken(parties));

    expect(response.body).toEqual({
      status: 'cancelled',
      cancelled_by: 'buyer',
      refund_percentage: 0,
      refund_amount: '0.00',
    });
    expect(mutatingCalls()).toEqual([
      expect.objectContaining({
        path: `/v1/payment_intents/${paymentIntentId}/capture`,
        idempotencyKey: `late_cancel_capture_${id}`,
      }),
    ]);
    expect(await row(id)).toMatchObject({ payment_released_at: NOW });
    expect(await slotIsBooked(ctx.testApp.dataSource, parties.slotId)).toBe(false);
    await ctx.assertMoneyConsistent(id);
  });

  it('N13.15: in the 0 % band a hold that was never authorised pays nobody: it is closed and the buyer keeps everything', async () => {
    const { parties, id, paymentIntentId } = await scenario(
      6 * HOUR,
      { status: 'pending_acceptance' },
      'requires_payment_method',
    );

    const response = await cancel(id, buyerToken(parties));

    expect(response.body).toMatchObject({ refund_percentage: 100, refund_amount: '40.00' });
    expect(ctx.fake.objects.paymentIntents.get(paymentIntentId)).toMatchObject({ status: 'canceled' });
    expect(await row(id)).toMatchObject({ payment_released_at: null });
    await ctx.assertMoneyConsistent(id);
  });

  it('CAN-04: a booking without a slot refunds 100 %', async () => {
    const { parties, id, paymentIntentId } = await scenario(6 * HOUR, {
      status: 'confirmed',
      availability_id: null,
    });
    const response = await cancel(id, buyerToken(parties));
    expect(response.body).toMatchObject({ refund_percentage: 100, refund_amount: '40.00' });
    expect(mutatingCalls().map((c) => c.path)).toEqual([`/v1/payment_intents/${paymentIntentId}/cancel`]);
    await ctx.assertMoneyConsistent(id);
  });

  it('CAN-05 / M-030: the mechanic always refunds 100 %, even 6 h ahead; the buyer is told', async () => {
    const before = await counterValue(METRIC.bookingsCancelled, { cancelled_by: 'mechanic' });
    const { parties, id } = await scenario(6 * HOUR);

    const response = await cancel(id, parties.mechanic.token);

    expect(response.body).toEqual({
      status: 'cancelled',
      cancelled_by: 'mechanic',
      refund_percentage: 100,
      refund_amount: '40.00',
    });
    expect(mutatingCalls().map((c) => c.idempotencyKey)).toEqual([`cancel_${id}`]);
    expect(await notifications(parties.buyer.id, 'booking_cancelled')).toEqual([
      { data: { type: 'booking_cancelled', booking_id: id, cancelled_by: 'mechanic' } },
    ]);
    expect(await counterValue(METRIC.bookingsCancelled, { cancelled_by: 'mechanic' })).toBe(before + 1);
    await ctx.assertMoneyConsistent(id);
  });

  it('§3.4: a suspended or deactivated mechanic may still cancel', async () => {
    const { parties, id } = await scenario(72 * HOUR);
    await ctx.testApp.dataSource.query(
      'UPDATE mechanic_profiles SET is_active = false, suspended_until = $2 WHERE id = $1',
      [parties.mechanic.profileId, new Date(NOW.getTime() + 30 * 24 * HOUR)],
    );
    expect((await cancel(id, parties.mechanic.token)).status).toBe(200);
    await ctx.assertMoneyConsistent(id);
  });

  it('CAN-06: the bands are strict: 24 h + 1 min → 100, 23 h 59 → 50, 12 h + 1 min → 50, 11 h 59 → 0', async () => {
    const cases: [number, number][] = [
      [24 * HOUR + MINUTE, 100],
      [24 * HOUR - MINUTE, 50],
      [12 * HOUR + MINUTE, 50],
      [12 * HOUR - MINUTE, 0],
      [24 * HOUR, 50],
      [12 * HOUR, 0],
    ];
    for (const [ahead, percentage] of cases) {
      const { parties, id } = await scenario(ahead);
      const response = await cancel(id, buyerToken(parties));
      expect({ ahead, percentage: response.body.refund_percentage }).toEqual({ ahead, percentage });
      await ctx.assertMoneyConsistent(id);
    }
  });

  it('CAN-07 / C-004 / H-022: a failed Stripe cancel is the generic 500 and changes nothing; the retry uses the same key', async () => {
    const { parties, id, paymentIntentId } = await scenario(72 * HOUR);
    ctx.fake.failNext(3, { kind: 'http_500' }, { method: 'POST', path: /\/cancel$/ });

    const failed = await cancel(id, buyerToken(parties));

    expectDomainError(failed, 500, PAYMENT_FAILED_MESSAGE, 'payment_failed');
    expect(JSON.stringify(failed.body)).not.toContain('unknown error');
    expect(await row(id)).toMatchObject({ status: 'confirmed', cancelled_at: null });
    expect(await slotIsBooked(ctx.testApp.dataSource, parties.slotId)).toBe(true);
    await ctx.assertMoneyConsistent(id);

    const retried = await cancel(id, buyerToken(parties));

    expect(retried.status).toBe(200);
    const keys = mutatingCalls().map((c) => c.idempotencyKey);
    expect(keys.length).toBe(4);
    expect(new Set(keys)).toEqual(new Set([`cancel_${id}`]));
    expect(ctx.fake.objects.paymentIntents.get(paymentIntentId)).toMatchObject({ status: 'canceled' });
    await ctx.assertMoneyConsistent(id);
  });

  it('CAN-08 / H-005 / I-6: 49.99 in the 50 % band refunds 25.00 (half up), 2500 cents; 0.01 never refunds more than 0.01', async () => {
    const priced = (total: string) => ({
      status: 'confirmed' as const,
      base_price: total,
      total_price: total,
      commission_amount: '0.00',
      mechanic_payout: total,
    });
    const big = await scenario(18 * HOUR, priced('49.99'), 'succeeded');
    expect((await cancel(big.id, buyerToken(big.parties))).body).toMatchObject({
      refund_percentage: 50,
      refund_amount: '25.00',
    });
    expect(mutatingCalls()[0].params).toEqual({ payment_intent: big.paymentIntentId, amount: '2500' });
    await ctx.assertMoneyConsistent(big.id);

    // Below Stripe's 50-cent minimum no PaymentIntent can exist: the booking's own figures are what matter.
    const parties = await createBookingParties(ctx.testApp.dataSource);
    await moveSlotTo(ctx.testApp.dataSource, parties.slotId, new Date(NOW.getTime() + 18 * HOUR));
    const tiny = {
      parties,
      id: await insertBooking(ctx.testApp.dataSource, parties.buyer.id, parties.mechanic.profileId, {
        ...priced('0.01'),
        availability_id: parties.slotId,
        stripe_payment_intent_id: null,
      }),
    };
    const response = await cancel(tiny.id, buyerToken(tiny.parties));
    expect(response.status).toBe(200);
    expect(Number(response.body.refund_amount)).toBeLessThanOrEqual(0.01);
    await ctx.assertMoneyConsistent(tiny.id);
  });

  it('CAN-09 / M-007: cancelling mid check-in: the buyer gets 0 %, the mechanic gives 100 %', async () => {
    const waiting = await scenario(0, { status: 'awaiting_mechanic_code' });
    const inProgress = await scenario(0, { status: 'check_in_done' });
    expect((await cancel(waiting.id, buyerToken(waiting.parties))).body).toMatchObject({
      refund_percentage: 0,
    });
    expect((await cancel(inProgress.id, inProgress.parties.mechanic.token)).body).toMatchObject({
      refund_percentage: 100,
      cancelled_by: 'mechanic',
    });
    await ctx.assertMoneyConsistent(waiting.id);
    await ctx.assertMoneyConsistent(inProgress.id);
  });

  it('CAN-10 / N13.11: late and terminal states, and disputed, are 409 "Cannot cancel" with no Stripe call', async () => {
    for (const status of ['check_out_done', 'validated', 'completed', 'cancelled', 'disputed']) {
      const extra =
        status === 'completed'
          ? { payment_released_at: NOW }
          : status === 'cancelled'
            ? { cancelled_at: NOW, cancelled_by: 'buyer' }
            : {};
      const { parties, id } = await scenario(
        72 * HOUR,
        { status, ...extra },
        status === 'completed' ? 'succeeded' : 'requires_capture',
      );
      expectDomainError(
        await cancel(id, buyerToken(parties)),
        409,
        `Cannot cancel: booking status is '${status}'`,
        'booking_state_conflict',
      );
    }
    expect(ctx.fake.calls()).toEqual([]);
  });

  it('CAN-11: another buyer 403, another mechanic 403, an admin 403, an unknown id 404', async () => {
    const { id } = await scenario(72 * HOUR);
    const other = await createBookingParties(ctx.testApp.dataSource);
    const admin = await createUser(ctx.testApp.dataSource, { role: 'admin' });
    expectDomainError(await cancel(id, buyerToken(other)), 403, 'Not your booking', 'not_your_booking');
    expectDomainError(await cancel(id, other.mechanic.token), 403, 'Not your booking', 'not_your_booking');
    expectDomainError(
      await cancel(id, forgeToken({ sub: admin.id })),
      403,
      'Admins cannot cancel bookings via this endpoint',
      'admin_cannot_cancel',
    );
    expectDomainError(
      await cancel(randomUUID(), buyerToken(other)),
      404,
      'Booking not found',
      'booking_not_found',
    );
    expect((await row(id)).status).toBe('confirmed');
    expect(ctx.fake.calls()).toEqual([]);
  });

  it('CAN-12: a full refund of (a) a captured PI refunds with fullrefund_cancel_{id}, (b) a cancelled one calls nothing, (c) a processing one is 500', async () => {
    const captured = await scenario(72 * HOUR, { status: 'confirmed' }, 'succeeded');
    expect((await cancel(captured.id, buyerToken(captured.parties))).status).toBe(200);
    expect(mutatingCalls()).toEqual([
      expect.objectContaining({ path: '/v1/refunds', idempotencyKey: `fullrefund_cancel_${captured.id}` }),
    ]);
    await ctx.assertMoneyConsistent(captured.id);

    ctx.fake.reset();
    const released = await scenario(72 * HOUR, { status: 'confirmed' }, 'canceled');
    expect((await cancel(released.id, buyerToken(released.parties))).status).toBe(200);
    expect(mutatingCalls()).toEqual([]);
    await ctx.assertMoneyConsistent(released.id);

    const processing = await scenario(72 * HOUR, { status: 'confirmed' }, 'processing');
    expectDomainError(
      await cancel(processing.id, buyerToken(processing.parties)),
      500,
      PAYMENT_FAILED_MESSAGE,
      'payment_failed',
    );
    expect((await row(processing.id)).status).toBe('confirmed');
  });

  it('I-16 / I-1: a cancelled booking gives its slot back, and a new live booking may take it', async () => {
    const { parties, id } = await scenario(72 * HOUR);
    expect((await cancel(id, buyerToken(parties))).status).toBe(200);
    expect(await slotIsBooked(ctx.testApp.dataSource, parties.slotId)).toBe(false);
    const again = await insertBooking(ctx.testApp.dataSource, parties.buyer.id, parties.mechanic.profileId, {
      availability_id: parties.slotId,
    });
    expect((await row(again)).status).toBe('pending_acceptance');
    // I-1 still holds for live bookings: a second live one on the same slot is refused by the database.
    await expect(
      insertBooking(ctx.testApp.dataSource, parties.buyer.id, parties.mechanic.profileId, {
        availability_id: parties.slotId,
      }),
    ).rejects.toThrow(/uq_bookings_live_availability/);
  });

  it('I-12: cancellations never touch the price split (payout + commission = total)', async () => {
    for (const ahead of [72 * HOUR, 18 * HOUR, 6 * HOUR]) {
      const { parties, id } = await scenario(ahead);
      expect((await cancel(id, buyerToken(parties))).status).toBe(200);
      expect(await row(id)).toMatchObject({
        total_price: '40.00',
        commission_amount: '8.00',
        mechanic_payout: '32.00',
      });
      await ctx.assertMoneyConsistent(id);
    }
  });

  it('I-15: a replayed cancel is a 409, not a second money movement', async () => {
    const { parties, id } = await scenario(72 * HOUR);
    expect((await cancel(id, buyerToken(parties))).status).toBe(200);
    expect((await cancel(id, buyerToken(parties))).status).toBe(409);
    expect(mutatingCalls()).toHaveLength(1);
    await ctx.assertMoneyConsistent(id);
  });
});
