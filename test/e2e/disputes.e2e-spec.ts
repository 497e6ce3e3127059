import { randomUUID } from 'node:crypto';
import { type BookingStatus, type DisputeReason } from '../../src/bookings/domain/booking-status';
import { METRIC } from '../../src/observability/metrics/metrics';
import { PAYMENT_FAILED_MESSAGE } from '../../src/payments/domain/payment-errors';
import { bookingRequest, createBookingParties, type BookingParties } from '../support/booking-factories';
import { counterValue, insertPaidBooking, type IntentState } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken, type UserFixture } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { addDays, createSlot } from '../support/mechanic-factories';
import { useStripeTestApp } from '../support/stripe-test-app';

const NOW = new Date('2026-03-05T11:00:00Z');
const DAY_MS = 24 * 3_600_000;

/** The money and booking metrics a resolution may move, read before and after. */
const COUNTERS = [
  [METRIC.bookingsCancelled, { cancelled_by: 'admin' }],
  [METRIC.bookingsCompleted, {}],
  [METRIC.paymentsCaptured, {}],
  [METRIC.paymentsRefunded, {}],
] as const;
const counters = () => Promise.all(COUNTERS.map(([name, labels]) => counterValue(name, labels)));

describe('Disputes: admin resolution, penalties, Stripe chargebacks (bookings-payments §8, §9, §4.8, §12.5)', () => {
  const clock = new FixedClock(NOW);
  const ctx = useStripeTestApp({ clock });
  let admin: UserFixture;

  beforeAll(async () => {
    admin = await createUser(ctx.testApp.dataSource, { role: 'admin' });
  });

  beforeEach(() => clock.set(NOW));

  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    ctx.testApp.dataSource.query(sql, params) as Promise<T[]>;

  /** `BK(status, PI)` with an open dispute of `reason`, as the acceptance fixtures seed it. */
  async function disputed(
    options: {
      reason?: DisputeReason;
      status?: BookingStatus;
      intent?: IntentState;
      parties?: BookingParties;
    } = {},
  ) {
    const p = options.parties ?? (await createBookingParties(ctx.testApp.dataSource));
    const { id, paymentIntentId } = await insertPaidBooking(
      ctx.testApp.dataSource,
      ctx.fake,
      p,
      {
        status: options.status ?? 'disputed',
        availability_id: null,
        payment_released_at: options.status === 'completed' ? NOW : null,
      },
      options.intent ?? 'requires_capture',
    );
    const [dispute] = await query<{ id: string }>(
      `INSERT INTO dispute_cases (booking_id, opened_by, reason, description)
       VALUES ($1, $2, $3, 'Seeded dispute') RETURNING id`,
      [id, p.buyer.id, options.reason ?? 'wrong_info'],
    );
    return { p, id, paymentIntentId, disputeId: dispute.id };
  }
  const resolve = (body: Record<string, unknown>, token = forgeToken({ sub: admin.id })) =>
    ctx.testApp.http
      .patch('/payments/disputes/resolve')
      .set('X-Forwarded-For', newIp())
      .set(bearer(token))
      .send(body);
  const disputeRow = async (id: string) =>
    (
      await query(
        'SELECT status, resolved_at, resolved_by_admin, resolution_notes FROM dispute_cases WHERE id = $1',
        [id],
      )
    )[0];
  const bookingRow = async (id: string) =>
    (
      await query(
        `SELECT status, cancelled_at, cancelled_by, refund_percentage, refund_amount, payment_released_at
           FROM bookings WHERE id = $1`,
        [id],
      )
    )[0];
  const profileRow = async (profileId: string) =>
    (
      await query<{
        no_show_count: number;
        last_no_show_at: Date | null;
        suspended_until: Date | null;
        is_active: boolean;
      }>(
        'SELECT no_show_count, last_no_show_at, suspended_until, is_active FROM mechanic_profiles WHERE id = $1',
        [profileId],
      )
    )[0];
  const auditRows = (disputeId: string) =>
    query<{
      action: string;
      admin_user_id: string;
      target_user_id: string | null;
      detail: string;
      metadata_json: object;
    }>(
      "SELECT action, admin_user_id, target_user_id, detail, metadata_json FROM audit_logs WHERE metadata_json->>'dispute_id' = $1",
      [disputeId],
    );
  const moneyCalls = (paymentIntentId: string) =>
    ctx.fake.calls(new RegExp(`POST /v1/payment_intents/${paymentIntentId}/(cancel|capture)`));

  describe('PATCH /payments/disputes/resolve (§9.3)', () => {
    it('DISP-05 / C-006: for the buyer — hold released with dispute_resolve_{id}, refund fields, audit, penalty 1, both told', async () => {
      const { p, id, paymentIntentId, disputeId } = await disputed({ reason: 'no_show' });
      const before = await counters();

      const response = await resolve({
        dispute_id: disputeId,
        resolution: 'buyer',
        resolution_notes: 'No-show confirmed',
      });

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'resolved', resolution: 'buyer' },
      });
      expect(await bookingRow(id)).toEqual({
        status: 'cancelled',
        cancelled_at: NOW,
        cancelled_by: null,
        refund_percentage: 100,
        refund_amount: '40.00',
        payment_released_at: null,
      });
      expect(await disputeRow(disputeId)).toEqual({
        status: 'resolved_buyer',
        resolved_at: NOW,
        resolved_by_admin: admin.id,
        resolution_notes: 'No-show confirmed',
      });
      expect(await auditRows(disputeId)).toEqual([
        {
          action: 'resolve_dispute_buyer',
          admin_user_id: admin.id,
          target_user_id: null,
          detail: 'No-show confirmed',
          metadata_json: { dispute_id: disputeId, resolution: 'buyer' },
        },
      ]);
      expect(moneyCalls(paymentIntentId).map((c) => [c.path, c.idempotencyKey])).toEqual([
        [`/v1/payment_intents/${paymentIntentId}/cancel`, `dispute_resolve_${disputeId}`],
      ]);
      expect(await profileRow(p.mechanic.profileId)).toEqual({
        no_show_count: 1,
        last_no_show_at: NOW,
        suspended_until: null,
        is_active: true,
      });
      const told = await query<{ user_id: string; title: string }>(
        "SELECT user_id, title FROM notifications WHERE data->>'booking_id' = $1 AND data->>'resolution' = 'buyer'",
        [id],
      );
      expect(told.map((n) => n.user_id).sort()).toEqual([p.buyer.id, p.mechanic.id].sort());
      expect(await counters()).toEqual([before[0] + 1, before[1], before[2], before[3] + 1]);
      await ctx.assertMoneyConsistent(id);
    });

    it('DISP-06 / I-13: for the mechanic — retrieve then capture with dispute_capture_{id}, completed, no penalty', async () => {
      const { p, id, paymentIntentId, disputeId } = await disputed({ reason: 'wrong_info' });
      const before = await counters();
      ctx.fake.reset();

      const response = await resolve({ dispute_id: disputeId, resolution: 'mechanic' });

      expect(response.body).toEqual({ status: 'resolved', resolution: 'mechanic' });
      expect(await bookingRow(id)).toMatchObject({ status: 'completed', payment_released_at: NOW });
      expect((await disputeRow(disputeId)).status).toBe('resolved_mechanic');
      expect(
        ctx.fake
          .calls(new RegExp(paymentIntentId))
          .map((c) => `${c.method} ${c.path} ${c.idempotencyKey ?? ''}`),
      ).toEqual([
        `GET /v1/payment_intents/${paymentIntentId} `,
        `POST /v1/payment_intents/${paymentIntentId}/capture dispute_capture_${disputeId}`,
      ]);
      expect((await profileRow(p.mechanic.profileId)).no_show_count).toBe(0);
      expect((await auditRows(disputeId)).map((row) => row.action)).toEqual(['resolve_dispute_mechanic']);
      expect(await counters()).toEqual([before[0], before[1] + 1, before[2] + 1, before[3]]);
      await ctx.assertMoneyConsistent(id);
    });

    it('DISP-07: unknown dispute 404, resolved 409, resolution "both" 422, buyer or mechanic 403', async () => {
      const { p, disputeId } = await disputed();
      expect((await resolve({ dispute_id: disputeId, resolution: 'buyer' })).status).toBe(200);

      expectDomainError(
        await resolve({ dispute_id: randomUUID(), resolution: 'buyer' }),
        404,
        'Dispute not found',
        'dispute_not_found',
      );
      expectDomainError(
        await resolve({ dispute_id: disputeId, resolution: 'mechanic' }),
        409,
        'Dispute is already resolved',
        'dispute_already_resolved',
      );
      const both = await resolve({ dispute_id: disputeId, resolution: 'both' });
      expect([both.status, both.body.detail[0].loc]).toEqual([422, ['body', 'resolution']]);
      expect((await resolve({ dispute_id: 'not-a-uuid', resolution: 'buyer' })).status).toBe(422);
      for (const token of [forgeToken({ sub: p.buyer.id }), p.mechanic.token])
        expectDomainError(
          await resolve({ dispute_id: disputeId, resolution: 'buyer' }, token),
          403,
          'Admin access required',
          'access_denied',
        );
    });

    it('DISP-08 / C-006: the ladder on the new count — 2 suspends for 30 days, 3 deactivates', async () => {
      const p = await createBookingParties(ctx.testApp.dataSource);
      await query('UPDATE mechanic_profiles SET no_show_count = 1, last_no_show_at = $2 WHERE id = $1', [
        p.mechanic.profileId,
        new Date(NOW.getTime() - 10 * DAY_MS),
      ]);
      const freeSlot = await createSlot(ctx.testApp.dataSource, p.mechanic.profileId, {
        date: addDays('2026-03-05', 2),
      });
      const book = () =>
        ctx.testApp.http
          .post('/bookings')
          .set('X-Forwarded-For', newIp())
          .set(bearer(forgeToken({ sub: p.buyer.id })))
          .send(bookingRequest(p.mechanic.profileId, freeSlot));
      const mechanicEndpoint = () =>
        ctx.testApp.http
          .get('/payments/mechanic-dashboard')
          .set('X-Forwarded-For', newIp())
          .set(bearer(p.mechanic.token));

      const second = await disputed({ reason: 'no_show', parties: p });
      expect((await resolve({ dispute_id: second.disputeId, resolution: 'buyer' })).status).toBe(200);

      expect(await profileRow(p.mechanic.profileId)).toEqual({
        no_show_count: 2,
        last_no_show_at: NOW,
        suspended_until: new Date(NOW.getTime() + 30 * DAY_MS),
        is_active: true,
      });
      expect((await mechanicEndpoint()).body.detail).toBe(
        'Account suspended. Contact support for more information.',
      );
      expectDomainError(await book(), 400, 'Mechanic is currently suspended', 'mechanic_not_bookable');

      const third = await disputed({ reason: 'no_show', parties: p });
      expect((await resolve({ dispute_id: third.disputeId, resolution: 'buyer' })).status).toBe(200);

      expect(await profileRow(p.mechanic.profileId)).toMatchObject({ no_show_count: 3, is_active: false });
      expect((await mechanicEndpoint()).body.detail).toBe('Account has been deactivated');
      const search = await ctx.testApp.http
        .get('/mechanics')
        .query({ lat: 43.6045, lng: 1.444 })
        .set('X-Forwarded-For', newIp());
      expect(search.body.map((m: { id: string }) => m.id)).not.toContain(p.mechanic.profileId);
    });

    it.each([
      ['buyer', /cancel$/],
      ['mechanic', /capture$/],
    ])(
      'DISP-09 / H-022: Stripe fails while resolving for the %s → 500, everything rolled back, nothing counted',
      async (resolution, path) => {
        const { p, id, disputeId } = await disputed({ reason: 'no_show' });
        const before = await counters();
        // The SDK retries twice with the same key: all three attempts fail.
        ctx.fake.failNext(3, { kind: 'http_500' }, { method: 'POST', path });

        const response = await resolve({ dispute_id: disputeId, resolution });

        expectDomainError(response, 500, PAYMENT_FAILED_MESSAGE, 'payment_failed');
        expect((await disputeRow(disputeId)).status).toBe('open');
        expect((await bookingRow(id)).status).toBe('disputed');
        expect(await auditRows(disputeId)).toEqual([]);
        expect((await profileRow(p.mechanic.profileId)).no_show_count).toBe(0);
        expect(await counters()).toEqual(before);
        await ctx.assertMoneyConsistent(id);
      },
    );

    it('DISP-10 / N13.23: an open dispute on a completed booking → 409, no Stripe call, still open', async () => {
      const { id, paymentIntentId, disputeId } = await disputed({ status: 'completed', intent: 'succeeded' });
      ctx.fake.reset();

      expectDomainError(
        await resolve({ dispute_id: disputeId, resolution: 'buyer' }),
        409,
        "Cannot transition from 'completed' to 'cancelled'",
        'booking_state_conflict',
      );
      expect(ctx.fake.calls(new RegExp(paymentIntentId))).toEqual([]);
      expect((await disputeRow(disputeId)).status).toBe('open');
      expect((await bookingRow(id)).status).toBe('completed');
    });

    it('N13.15 / I-13: a PaymentIntent that cannot be captured fails the resolution for the mechanic → 409, nothing completed', async () => {
      const { id, disputeId } = await disputed({ intent: 'canceled' });
      const before = await counters();

      expectDomainError(
        await resolve({ dispute_id: disputeId, resolution: 'mechanic' }),
        409,
        'The payment can no longer be captured (the card authorisation is not valid any more).',
        'payment_not_capturable',
      );
      expect(await bookingRow(id)).toMatchObject({ status: 'disputed', payment_released_at: null });
      expect((await disputeRow(disputeId)).status).toBe('open');
      expect(await counters()).toEqual(before);
    });
  });

  describe('GET /admin/disputes (§9.4)', () => {
    const list = (query: Record<string, string | number> = {}, token = forgeToken({ sub: admin.id })) =>
      ctx.testApp.http.get('/admin/disputes').query(query).set('X-Forwarded-For', newIp()).set(bearer(token));

    it('ADM-13: open disputes oldest first with the opener e-mail, no photos; closed, invalid status, limit', async () => {
      await query("UPDATE dispute_cases SET status = 'closed' WHERE status = 'open'");
      clock.set(new Date(NOW.getTime() - 60_000));
      const first = await disputed({ reason: 'no_show' });
      await query(
        'UPDATE dispute_cases SET created_at = $2, photo_urls = \'["https://x/y.png"]\' WHERE id = $1',
        [first.disputeId, new Date(NOW.getTime() - 60_000)],
      );
      const second = await disputed();

      const response = await list();

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        total: 2,
        disputes: [
          {
            id: first.disputeId,
            booking_id: first.id,
            opened_by: first.p.buyer.id,
            opener_email: first.p.buyer.email,
            reason: 'no_show',
            description: 'Seeded dispute',
            status: 'open',
            created_at: new Date(NOW.getTime() - 60_000).toISOString(),
            resolved_at: null,
          },
          expect.objectContaining({ id: second.disputeId, reason: 'wrong_info' }),
        ],
      });
      expect((await list({ limit: 1 })).body).toEqual({
        total: 2,
        disputes: [expect.objectContaining({ id: first.disputeId })],
      });
      // A page past the end still says how many there are.
      const [{ count }] = await query<{ count: string }>(
        "SELECT count(*) FROM dispute_cases WHERE status = 'resolved_mechanic'",
      );
      expect((await list({ status: 'resolved_mechanic', offset: 10_000 })).body).toEqual({
        total: Number(count),
        disputes: [],
      });
      expectDomainError(
        await list({ status: 'invalid_status' }),
        400,
        'Invalid status: invalid_status',
        'invalid_dispute_status',
      );
      expect((await list({ limit: 201 })).status).toBe(422);
    });

    it('ADM-01: buyers and mechanics are refused', async () => {
      const { p } = await disputed();
      for (const token of [forgeToken({ sub: p.buyer.id }), p.mechanic.token])
        expectDomainError(await list({}, token), 403, 'Admin access required', 'access_denied');
    });
  });

  describe('Stripe chargebacks (§4.8, §12.5)', () => {
    const disputeObject = (
      paymentIntentId: string | null,
      reason: string,
      id = `dp_${randomUUID().slice(0, 8)}`,
    ) => ({
      id,
      object: 'dispute',
      amount: 4000,
      currency: 'eur',
      payment_intent: paymentIntentId,
      reason,
      status: 'needs_response',
    });
    const deliver = async (type: string, object: Record<string, unknown>) => {
      const response = await ctx.fake.deliver(ctx.testApp.http, ctx.fake.event(type, object), newIp());
      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
    };
    const disputesOf = (bookingId: string) =>
      query('SELECT reason, description, opened_by, status FROM dispute_cases WHERE booking_id = $1', [
        bookingId,
      ]);

    it('PAY-14: charge.dispute.created records one dispute on a completed booking, once; no PI → nothing', async () => {
      const p = await createBookingParties(ctx.testApp.dataSource);
      const { id, paymentIntentId } = await insertPaidBooking(
        ctx.testApp.dataSource,
        ctx.fake,
        p,
        { status: 'completed', payment_released_at: NOW },
        'succeeded',
      );
      const before = await counterValue(METRIC.disputesOpened, { reason: 'no_show' });

      await deliver('charge.dispute.created', disputeObject(paymentIntentId, 'product_not_received', 'dp_1'));
      await deliver('charge.dispute.created', disputeObject(paymentIntentId, 'product_not_received', 'dp_1'));
      await deliver('charge.dispute.created', disputeObject(null, 'fraudulent'));

      expect(await disputesOf(id)).toEqual([
        {
          reason: 'no_show',
          description: 'Auto-created from Stripe dispute dp_1: product_not_received',
          opened_by: p.buyer.id,
          status: 'open',
        },
      ]);
      expect((await bookingRow(id)).status).toBe('completed');
      expect(await counterValue(METRIC.disputesOpened, { reason: 'no_show' })).toBe(before + 1);
      await ctx.assertMoneyConsistent(id);
    });

    it('PAY-14: the reason mapping — product_unacceptable → wrong_info, anything else → other', async () => {
      const reasons: [string, DisputeReason][] = [
        ['product_unacceptable', 'wrong_info'],
        ['fraudulent', 'other'],
      ];
      for (const [stripeReason, reason] of reasons) {
        const p = await createBookingParties(ctx.testApp.dataSource);
        const { id, paymentIntentId } = await insertPaidBooking(
          ctx.testApp.dataSource,
          ctx.fake,
          p,
          { status: 'completed', payment_released_at: NOW },
          'succeeded',
        );
        await deliver('charge.dispute.created', disputeObject(paymentIntentId, stripeReason));
        expect((await disputesOf(id))[0]).toMatchObject({ reason });
      }
    });

    it('N13.23: where the machine allows it, the booking moves to disputed, and an admin can then resolve it', async () => {
      const p = await createBookingParties(ctx.testApp.dataSource);
      const { id, paymentIntentId } = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, p, {
        status: 'check_out_done',
      });

      await deliver('charge.dispute.created', disputeObject(paymentIntentId, 'product_unacceptable'));

      expect((await bookingRow(id)).status).toBe('disputed');
      const transitions = await query(
        'SELECT from_status, to_status, event, actor_role FROM booking_transitions WHERE booking_id = $1',
        [id],
      );
      expect(transitions).toEqual([
        {
          from_status: 'check_out_done',
          to_status: 'disputed',
          event: 'stripe_dispute_opened',
          actor_role: 'system',
        },
      ]);
      const [{ id: disputeId }] = await query<{ id: string }>(
        'SELECT id FROM dispute_cases WHERE booking_id = $1',
        [id],
      );
      expect((await resolve({ dispute_id: disputeId, resolution: 'buyer' })).status).toBe(200);
      expect((await bookingRow(id)).status).toBe('cancelled');
      await ctx.assertMoneyConsistent(id);
    });

    it("§12.5: charge.dispute.closed closes the open dispute with Stripe's outcome; a resolved one is left alone", async () => {
      const lost = await disputed({ status: 'completed', intent: 'succeeded' });
      const won = await disputed({ status: 'completed', intent: 'succeeded' });
      const settled = await disputed();
      expect((await resolve({ dispute_id: settled.disputeId, resolution: 'buyer' })).status).toBe(200);

      await deliver('charge.dispute.closed', {
        ...disputeObject(lost.paymentIntentId, 'fraudulent'),
        status: 'lost',
      });
      await deliver('charge.dispute.closed', {
        ...disputeObject(won.paymentIntentId, 'fraudulent'),
        status: 'won',
      });
      await deliver('charge.dispute.closed', {
        ...disputeObject(settled.paymentIntentId, 'fraudulent'),
        status: 'lost',
      });

      expect(await disputeRow(lost.disputeId)).toMatchObject({
        status: 'closed',
        resolved_at: NOW,
        resolution_notes: 'Dispute lost — funds withdrawn by cardholder',
      });
      expect(await disputeRow(won.disputeId)).toMatchObject({
        status: 'closed',
        resolution_notes: 'Dispute won — funds returned to platform',
      });
      expect((await disputeRow(settled.disputeId)).status).toBe('resolved_buyer');
    });
  });
});
