import { type DisputeReason } from '../../src/bookings/domain/booking-status';
import { METRIC } from '../../src/observability/metrics/metrics';
import { createBookingParties, type BookingParties } from '../support/booking-factories';
import { counterValue, insertPaidBooking } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { newIp } from '../support/http';
import { useStripeTestApp } from '../support/stripe-test-app';

const NOW = new Date('2026-03-05T11:00:00Z');
const ROUNDS = 20;
/** Disputes of one mechanic resolved at once in the penalty race. */
const PARALLEL_NO_SHOWS = 3;

/**
 * I-10 and I-7 (C-006) under concurrency, over real connections, each race run ROUNDS times: one
 * resolution per dispute whatever the admins do, one money call, and a no-show counter that counts
 * every concurrent resolution exactly once.
 */
describe('dispute races (bookings-payments §9.3, §10)', () => {
  const clock = new FixedClock(NOW);
  const ctx = useStripeTestApp({ clock });
  let adminTokens: string[];

  beforeAll(async () => {
    const admins = [
      await createUser(ctx.testApp.dataSource, { role: 'admin' }),
      await createUser(ctx.testApp.dataSource, { role: 'admin' }),
    ];
    adminTokens = admins.map((admin) => forgeToken({ sub: admin.id }));
  });

  /** A disputed booking of `parties` (no slot, so one pair can hold several) and its open dispute. */
  async function openDispute(parties: BookingParties, reason: DisputeReason) {
    const { id, paymentIntentId } = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, parties, {
      status: 'disputed',
      availability_id: null,
    });
    const [{ id: disputeId }]: { id: string }[] = await ctx.testApp.dataSource.query(
      "INSERT INTO dispute_cases (booking_id, opened_by, reason, description) VALUES ($1, $2, $3, 'x') RETURNING id",
      [id, parties.buyer.id, reason],
    );
    return { id, paymentIntentId, disputeId };
  }
  const resolve = (token: string, disputeId: string, resolution: 'buyer' | 'mechanic') =>
    ctx.testApp.http
      .patch('/payments/disputes/resolve')
      .set('X-Forwarded-For', newIp())
      .set(bearer(token))
      .send({ dispute_id: disputeId, resolution });
  const moneyCalls = (paymentIntentId: string) =>
    ctx.fake.calls(new RegExp(`^POST /v1/payment_intents/${paymentIntentId}/(cancel|capture)$`)).length;

  it.each(['buyer', 'mechanic'] as const)(
    'I-10: two admins resolve one dispute for the %s at once → one 200, one 409, exactly one Stripe money call, counted once',
    async (resolution) => {
      const metric = resolution === 'buyer' ? METRIC.paymentsRefunded : METRIC.paymentsCaptured;
      for (let round = 0; round < ROUNDS; round++) {
        const parties = await createBookingParties(ctx.testApp.dataSource);
        const { id, paymentIntentId, disputeId } = await openDispute(parties, 'wrong_info');
        const before = await counterValue(metric);

        const responses = await Promise.all(
          adminTokens.map((token) => resolve(token, disputeId, resolution)),
        );

        expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
        expect(responses.find((r) => r.status === 409)?.body.detail).toMatch(
          /^(Dispute is already resolved|This dispute is being resolved by another request\. Please try again\.)$/,
        );
        expect(moneyCalls(paymentIntentId)).toBe(1);
        const audits: unknown[] = await ctx.testApp.dataSource.query(
          "SELECT 1 FROM audit_logs WHERE metadata_json->>'dispute_id' = $1",
          [disputeId],
        );
        expect(audits).toHaveLength(1);
        expect(await counterValue(metric)).toBe(before + 1);
        await ctx.assertMoneyConsistent(id);
      }
    },
  );

  it('I-7 / C-006: concurrent no-show resolutions for one mechanic → no_show_count rises by exactly their number', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const parties = await createBookingParties(ctx.testApp.dataSource);
      const disputes = await Promise.all(
        Array.from({ length: PARALLEL_NO_SHOWS }, () => openDispute(parties, 'no_show')),
      );

      const responses = await Promise.all(
        disputes.map(({ disputeId }, i) => resolve(adminTokens[i % adminTokens.length], disputeId, 'buyer')),
      );

      expect(responses.map((r) => r.status)).toEqual(disputes.map(() => 200));
      const [profile]: { no_show_count: number; is_active: boolean; suspended_until: Date | null }[] =
        await ctx.testApp.dataSource.query(
          'SELECT no_show_count, is_active, suspended_until FROM mechanic_profiles WHERE id = $1',
          [parties.mechanic.profileId],
        );
      // Whatever the order, the ladder saw 1, 2 and 3: suspended on the way, deactivated at the end.
      expect(profile).toEqual({
        no_show_count: PARALLEL_NO_SHOWS,
        is_active: false,
        suspended_until: new Date(NOW.getTime() + 30 * 24 * 3_600_000),
      });
    }
  });
});
