import { JobRunner } from '../../src/scheduling/job-runner';
import { type BookingParties, createBookingParties } from '../support/booking-factories';
import { counterValue, insertPaidBooking, slotIsBooked } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { bearer } from '../support/factories';
import { newIp } from '../support/http';
import { useStripeTestApp } from '../support/stripe-test-app';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const hoursAgo = (n: number) => new Date(NOW.getTime() - n * 3_600_000);
const ROUNDS = 20;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * T5 through `check_pending_acceptances` (§7.2 with N13.16 and the [REC] rows): JOB-01…03 and the
 * N13.16 regression (a mechanic's accept racing the sweep is never overwritten).
 */
describe('pending-acceptance expiry (bookings-payments §7.2)', () => {
  const clock = new FixedClock(NOW);
  // A Stripe round trip long enough for the accept to arrive while the sweep holds a booking.
  const ctx = useStripeTestApp({ clock, stripe: { latencyMs: 5 } });
  let runner: JobRunner;

  beforeAll(async () => {
    runner = ctx.testApp.app.get(JobRunner);
  });

  const pending = async (createdAt: Date) => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    const booking = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, parties, {
      created_at: createdAt,
    });
    return { parties, ...booking };
  };
  const rowOf = async (id: string) =>
    (
      await ctx.testApp.dataSource.query(
        `SELECT status, cancelled_by, cancelled_at, refund_percentage, refund_amount, total_price
           FROM bookings WHERE id = $1`,
        [id],
      )
    )[0];
  const callsOn = (paymentIntentId: string) =>
    ctx.fake.calls(new RegExp(`/v1/payment_intents/${paymentIntentId}\\b`));
  const cancels = (paymentIntentId: string) =>
    ctx.fake.calls(new RegExp(`^POST /v1/payment_intents/${paymentIntentId}/cancel$`));
  const noShows = async ({ mechanic }: BookingParties): Promise<number> =>
    (
      await ctx.testApp.dataSource.query('SELECT no_show_count FROM mechanic_profiles WHERE id = $1', [
        mechanic.profileId,
      ])
    )[0].no_show_count;

  it('JOB-01: a request unanswered for 3 h is cancelled for the mechanic, fully refunded, without penalty', async () => {
    const { parties, id, paymentIntentId } = await pending(hoursAgo(3));
    const cancelled = await counterValue('emecano_bookings_cancelled_total', { cancelled_by: 'mechanic' });

    expect(await runner.run('check_pending_acceptances')).toBe(1);

    expect(await rowOf(id)).toEqual({
      status: 'cancelled',
      cancelled_by: 'mechanic',
      cancelled_at: NOW,
      refund_percentage: 100,
      refund_amount: '40.00',
      total_price: '40.00',
    });
    expect(await slotIsBooked(ctx.testApp.dataSource, parties.slotId)).toBe(false);
    expect(
      callsOn(paymentIntentId).map((c) => `${c.method} ${c.path} ${c.idempotencyKey ?? ''}`.trim()),
    ).toEqual([
      `GET /v1/payment_intents/${paymentIntentId}`,
      `POST /v1/payment_intents/${paymentIntentId}/cancel pending_expire_${id}`,
    ]);
    expect(await noShows(parties)).toBe(0);
    expect(await counterValue('emecano_bookings_cancelled_total', { cancelled_by: 'mechanic' })).toBe(
      cancelled + 1,
    );
    // §7.2 [REC]: the buyer is told.
    expect(
      await ctx.testApp.dataSource.query('SELECT type, data FROM notifications WHERE user_id = $1', [
        parties.buyer.id,
      ]),
    ).toEqual([
      {
        type: 'booking_cancelled',
        data: { type: 'booking_cancelled', booking_id: id, cancelled_by: 'mechanic' },
      },
    ]);
    await ctx.assertMoneyConsistent(id);
  });

  it('JOB-02: a request made 1 h ago is left alone, without a Stripe call', async () => {
    const { parties, id, paymentIntentId } = await pending(hoursAgo(1));

    await runner.run('check_pending_acceptances');

    expect((await rowOf(id)).status).toBe('pending_acceptance');
    expect(await slotIsBooked(ctx.testApp.dataSource, parties.slotId)).toBe(true);
    expect(callsOn(paymentIntentId)).toHaveLength(0);
    await ctx.assertMoneyConsistent(id);
  });

  it('JOB-03: a Stripe failure on one booking leaves it untouched; the other is expired', async () => {
    const first = await pending(hoursAgo(4));
    const second = await pending(hoursAgo(3));
    // Every cancel of the first fails, through the SDK's retries and every pass of the run.
    ctx.fake.failNext(
      1_000,
      { kind: 'http_500' },
      { method: 'POST', path: new RegExp(`${first.paymentIntentId}/cancel$`) },
    );

    const errors = () =>
      counterValue('emecano_scheduler_job_runs_total', {
        job_name: 'check_pending_acceptances',
        status: 'error',
      });
    const errorsBefore = await errors();
    try {
      expect(await runner.run('check_pending_acceptances')).toBe(1);
    } finally {
      ctx.fake.reset();
    }
    // §7.2: one error per failed attempt; the run's two passes (the second finds nothing else to expire) each tried it.
    expect(await errors()).toBe(errorsBefore + 2);

    expect((await rowOf(first.id)).status).toBe('pending_acceptance');
    expect(await slotIsBooked(ctx.testApp.dataSource, first.parties.slotId)).toBe(true);
    expect((await rowOf(second.id)).status).toBe('cancelled');
    expect(await slotIsBooked(ctx.testApp.dataSource, second.parties.slotId)).toBe(false);
    await ctx.assertMoneyConsistent(first.id);
    await ctx.assertMoneyConsistent(second.id);
    // The next run, with Stripe back, expires it.
    expect(await runner.run('check_pending_acceptances')).toBe(1);
    expect((await rowOf(first.id)).status).toBe('cancelled');
    await ctx.assertMoneyConsistent(first.id);
  });

  it('N13.16 / I-3: an accept racing the sweep is never overwritten: confirmed and untouched, or expired and 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { parties, id, paymentIntentId } = await pending(hoursAgo(3));

      const [accepted] = await Promise.all([
        ctx.testApp.http
          .patch(`/bookings/${id}/accept`)
          .set('X-Forwarded-For', newIp())
          .set(bearer(parties.mechanic.token)),
        // Staggered by 0–19 ms, so that the accept lands before, between and after the sweep's phases.
        delay(round).then(() => runner.run('check_pending_acceptances')),
      ]);

      const { status } = await rowOf(id);
      expect([
        { accept: 200, status: 'confirmed', cancels: 0 },
        { accept: 409, status: 'cancelled', cancels: 1 },
      ]).toContainEqual({ accept: accepted.status, status, cancels: cancels(paymentIntentId).length });
      await ctx.assertMoneyConsistent(id);
    }
  });
});
