import { type BookingStatus } from '../../src/bookings/domain/booking-status';
import { ReleaseOverduePaymentsJob } from '../../src/bookings/jobs/release-overdue-payments.job';
import { JobRunner } from '../../src/scheduling/job-runner';
import { startTestApp } from '../support/app';
import { createBookingParties } from '../support/booking-factories';
import { counterValue, type IntentState, insertPaidBooking } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { testConfig } from '../support/config';
import { newIp } from '../support/http';
import { useStripeTestApp } from '../support/stripe-test-app';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const ROUNDS = 20;

interface Released {
  status: BookingStatus;
  payment_released_at: Date | null;
  release_due_at: Date | null;
  release_attempts: number;
}

/**
 * T14 through the jobs `release_payment` and `release_overdue_payments` (§7.1, §7.3 with D6 and D12):
 * JOB-04…07, JOB-09…11, C-005, N13.15, and the invariants I-3, I-4, I-13, I-14. Fixtures write
 * `release_due_at` with SQL, as validation will.
 */
describe('payment release jobs (bookings-payments §7.1, §7.3)', () => {
  const clock = new FixedClock(NOW);
  const ctx = useStripeTestApp({ clock });
  let runner: JobRunner;

  beforeAll(async () => {
    runner = ctx.testApp.app.get(JobRunner);
  });

  beforeEach(async () => {
    clock.set(NOW.toISOString());
    // Bookings an earlier test left validated must not be due in this one.
    await ctx.testApp.dataSource.query(
      "UPDATE bookings SET release_due_at = '2100-01-01' WHERE status = 'validated'",
    );
  });

  const booking = async (columns: Record<string, unknown> = {}, intent: IntentState = 'requires_capture') => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    return insertPaidBooking(
      ctx.testApp.dataSource,
      ctx.fake,
      parties,
      { status: 'validated', release_due_at: minutes(-1), ...columns },
      intent,
    );
  };
  const dueBooking = (dueInMinutes = -1, intent: IntentState = 'requires_capture') =>
    booking({ release_due_at: minutes(dueInMinutes) }, intent);
  const rowOf = async (id: string): Promise<Released> =>
    (
      await ctx.testApp.dataSource.query(
        'SELECT status, payment_released_at, release_due_at, release_attempts FROM bookings WHERE id = $1',
        [id],
      )
    )[0];
  const callsOn = (paymentIntentId: string) =>
    ctx.fake.calls(new RegExp(`/v1/payment_intents/${paymentIntentId}\\b`));
  const captures = (paymentIntentId: string) =>
    ctx.fake.calls(new RegExp(`^POST /v1/payment_intents/${paymentIntentId}/capture$`));
  const completions = async (id: string): Promise<number> =>
    Number(
      (
        await ctx.testApp.dataSource.query(
          "SELECT count(*) AS n FROM booking_transitions WHERE booking_id = $1 AND to_status = 'completed'",
          [id],
        )
      )[0].n,
    );
  /** The SDK retries a 500 twice: three failing answers make one failed capture. */
  const failCaptures = (paymentIntentId: string) =>
    ctx.fake.failNext(
      3,
      { kind: 'http_500' },
      { method: 'POST', path: new RegExp(`${paymentIntentId}/capture$`) },
    );

  it('JOB-04 / C-005 / M-030: release_payment --booking captures with release_{id} and completes', async () => {
    // D12 decision: an operator's --booking releases a validated booking even before it is due.
    const { id, paymentIntentId } = await dueBooking(+90);
    const captured = await counterValue('emecano_payments_captured_total');
    const completed = await counterValue('emecano_bookings_completed_total');

    expect(await runner.run('release_payment', { bookingId: id })).toBe(1);

    const row = await rowOf(id);
    expect(row.status).toBe('completed');
    expect(row.payment_released_at).toEqual(NOW);
    expect(
      callsOn(paymentIntentId).map((c) => `${c.method} ${c.path} ${c.idempotencyKey ?? ''}`.trim()),
    ).toEqual([
      `GET /v1/payment_intents/${paymentIntentId}`,
      `POST /v1/payment_intents/${paymentIntentId}/capture release_${id}`,
    ]);
    expect(await counterValue('emecano_payments_captured_total')).toBe(captured + 1);
    expect(await counterValue('emecano_bookings_completed_total')).toBe(completed + 1);
    await ctx.assertMoneyConsistent(id);
  });

  it('JOB-05: release_payment skips completed and disputed bookings and unknown ids, without a Stripe call', async () => {
    const completed = await booking({ status: 'completed', payment_released_at: minutes(-30) }, 'succeeded');
    const disputed = await booking({ status: 'disputed' });
    const before = ctx.fake.calls().length;

    for (const bookingId of [completed.id, disputed.id, '6f1c2a4e-8d7b-4c1e-9a53-0b2d4e6f8a10', 'not-a-uuid'])
      expect(await runner.run('release_payment', { bookingId })).toBe(0);

    expect(ctx.fake.calls().length).toBe(before);
    expect((await rowOf(completed.id)).status).toBe('completed');
    expect((await rowOf(disputed.id)).status).toBe('disputed');
    await ctx.assertMoneyConsistent(completed.id);
    await ctx.assertMoneyConsistent(disputed.id);
  });

  it('JOB-06: a failed capture leaves the booking validated and retries it later with the same key', async () => {
    const { id, paymentIntentId } = await dueBooking();
    failCaptures(paymentIntentId);
    const captured = await counterValue('emecano_payments_captured_total');

    expect(await runner.run('release_payment')).toBe(1);

    expect(await rowOf(id)).toEqual({
      status: 'validated',
      payment_released_at: null,
      release_due_at: minutes(1),
      release_attempts: 1,
    });
    expect(await counterValue('emecano_payments_captured_total')).toBe(captured);
    await ctx.assertMoneyConsistent(id);
    // Not due again before the backoff has run out; then the sweep picks it up.
    expect(await runner.run('release_overdue_payments')).toBe(0);
    clock.advance(60_000);
    expect(await runner.run('release_overdue_payments')).toBe(1);

    expect((await rowOf(id)).status).toBe('completed');
    expect(new Set(captures(paymentIntentId).map((c) => c.idempotencyKey))).toEqual(
      new Set([`release_${id}`]),
    );
    expect(captures(paymentIntentId).filter((c) => c.status === 200)).toHaveLength(1);
    await ctx.assertMoneyConsistent(id);
  });

  it('JOB-06: an operator release that fails says so (exit 1) and leaves the booking validated', async () => {
    const { id, paymentIntentId } = await dueBooking();
    failCaptures(paymentIntentId);

    await expect(runner.run('release_payment', { bookingId: id })).rejects.toThrow(/stays validated/);

    expect((await rowOf(id)).status).toBe('validated');
    await ctx.assertMoneyConsistent(id);
  });

  it('JOB-07: a PaymentIntent already captured completes the booking without a capture', async () => {
    const { id, paymentIntentId } = await dueBooking(-1, 'succeeded');

    expect(await runner.run('release_payment')).toBe(1);

    expect((await rowOf(id)).status).toBe('completed');
    expect(captures(paymentIntentId)).toHaveLength(0);
    await ctx.assertMoneyConsistent(id);
  });

  it('JOB-09 / D6: release_overdue_payments releases what is due with release_{id}, not what is not', async () => {
    const overdue = await dueBooking(-60);
    const recent = await dueBooking(+60);

    expect(await runner.run('release_overdue_payments')).toBe(1);

    expect((await rowOf(overdue.id)).status).toBe('completed');
    expect(captures(overdue.paymentIntentId).map((c) => c.idempotencyKey)).toEqual([`release_${overdue.id}`]);
    expect((await rowOf(recent.id)).status).toBe('validated');
    expect(callsOn(recent.paymentIntentId)).toHaveLength(0);
    await ctx.assertMoneyConsistent(overdue.id);
    await ctx.assertMoneyConsistent(recent.id);
  });

  it('JOB-10: a failed capture stays isolated; the other overdue booking completes', async () => {
    const first = await dueBooking(-20);
    const second = await dueBooking(-10);
    failCaptures(first.paymentIntentId);
    const runs = (status: string) =>
      counterValue('emecano_scheduler_job_runs_total', { job_name: 'release_overdue_payments', status });
    const [errorsBefore, successesBefore] = [await runs('error'), await runs('success')];

    await runner.run('release_overdue_payments');

    expect((await rowOf(first.id)).status).toBe('validated');
    expect((await rowOf(second.id)).status).toBe('completed');
    // §7.3: the failed booking counts as an error; the run itself carried on to its end.
    expect(await runs('error')).toBe(errorsBefore + 1);
    expect(await runs('success')).toBe(successesBefore + 1);
    await ctx.assertMoneyConsistent(first.id);
    await ctx.assertMoneyConsistent(second.id);
  });

  it('JOB-11: release_overdue_payments claims 20 bookings per batch', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await dueBooking(-5)).id);
    const job = ctx.testApp.app.get(ReleaseOverduePaymentsJob);
    const completedAmong = async () =>
      Number(
        (
          await ctx.testApp.dataSource.query(
            "SELECT count(*) AS n FROM bookings WHERE id = ANY($1) AND status = 'completed'",
            [ids],
          )
        )[0].n,
      );

    expect(await job.runBatch(NOW, {})).toEqual({ handled: 20, failed: 0 });
    expect(await completedAmong()).toBe(20);
    expect(await job.runBatch(NOW, {})).toEqual({ handled: 5, failed: 0 });
    expect(await completedAmong()).toBe(25);
    for (const id of ids) await ctx.assertMoneyConsistent(id);
  });

  it('I-13 / N13.15: a PaymentIntent that cannot be captured never completes the booking', async () => {
    for (const intent of ['canceled', 'requires_payment_method'] as const) {
      const { id, paymentIntentId } = await dueBooking(-1, intent);

      await runner.run('release_payment');

      const row = await rowOf(id);
      expect({ intent, status: row.status, released: row.payment_released_at }).toEqual({
        intent,
        status: 'validated',
        released: null,
      });
      expect(row.release_attempts).toBe(1);
      expect(captures(paymentIntentId)).toHaveLength(0);
      // A lapsed hold under a validated booking is itself the inconsistency: nothing may hide it.
      if (intent !== 'canceled') await ctx.assertMoneyConsistent(id);
    }
  });

  it('I-4 / C-005: release_payment ∥ release_overdue_payments ∥ an operator release → one capture', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { id, paymentIntentId } = await dueBooking();

      const handled = await Promise.all([
        runner.run('release_payment'),
        runner.run('release_overdue_payments'),
        runner.run('release_payment', { bookingId: id }),
      ]);

      expect(handled.reduce((a, b) => a + b, 0)).toBe(1);
      expect(captures(paymentIntentId)).toHaveLength(1);
      expect(await completions(id)).toBe(1);
      await ctx.assertMoneyConsistent(id);
    }
  });

  it('I-3: the release ∥ the payment_intent.succeeded webhook → completed once, never overwritten', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Captured elsewhere (the dashboard); the event races the job.
      const { id, paymentIntentId } = await dueBooking(-1, 'succeeded');
      const event = ctx.fake.event(
        'payment_intent.succeeded',
        ctx.fake.objects.paymentIntents.get(paymentIntentId)!,
      );

      const [webhook] = await Promise.all([
        ctx.fake.deliver(ctx.testApp.http, event, newIp()),
        runner.run('release_payment'),
      ]);

      expect(webhook.status).toBe(200);
      expect((await rowOf(id)).status).toBe('completed');
      expect(await completions(id)).toBe(1);
      expect(captures(paymentIntentId)).toHaveLength(0);
      await ctx.assertMoneyConsistent(id);
    }
  });

  it('I-14: two instances releasing the same due bookings claim each one once', async () => {
    const second = await startTestApp({ config: testConfig(ctx.fake.env()), databaseUrl: ctx.db.url, clock });
    try {
      const due = [];
      for (let i = 0; i < 30; i++) due.push(await dueBooking(-3));

      const handled = await Promise.all([
        runner.run('release_overdue_payments'),
        second.app.get(JobRunner).run('release_payment'),
      ]);

      expect(handled[0] + handled[1]).toBe(due.length);
      for (const { id, paymentIntentId } of due) {
        expect(captures(paymentIntentId)).toHaveLength(1);
        expect(await completions(id)).toBe(1);
        await ctx.assertMoneyConsistent(id);
      }
    } finally {
      await second.close();
    }
  });
});
