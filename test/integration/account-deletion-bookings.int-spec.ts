import { RELEASE_HOLD_QUEUE } from '../../src/bookings/commands/transitions/booking-payments';
import { CLOSE_CONNECT_ACCOUNT_QUEUE } from '../../src/payments/connect/connect-account-closures';
import { createBookingParties } from '../support/booking-factories';
import { bookingRow, insertPaidBooking, slotIsBooked } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { waitForIdleQueue } from '../support/delivery';
import { bearer, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { useStripeTestApp } from '../support/stripe-test-app';

const NOW = new Date('2026-03-02T09:00:00Z');

/** identity §2.1-14 steps 2–4, the bookings' part: DELETE /auth/me with bookings (AUTH-20, AUTH-22). */
describe('account deletion and bookings', () => {
  const clock = new FixedClock(NOW);
  const ctx = useStripeTestApp({ clock });

  beforeEach(() => ctx.fake.reset());

  const deleteAccount = (userId: string) =>
    ctx.testApp.http
      .delete('/auth/me')
      .set('X-Forwarded-For', newIp())
      .set(bearer(forgeToken({ sub: userId })));
  const row = (id: string) => bookingRow(ctx.testApp.dataSource, id);
  const cancelCalls = (paymentIntentId: string) =>
    ctx.fake.calls(new RegExp(`POST /v1/payment_intents/${paymentIntentId}/cancel`));

  it("AUTH-20: the buyer's pending booking is cancelled (by the buyer), its slot freed and its hold released", async () => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    const { id, paymentIntentId } = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, parties);

    const response = await deleteAccount(parties.buyer.id);

    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { message: 'Your account has been deleted' },
    });
    expect(await row(id)).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'buyer',
      cancelled_at: NOW,
      refund_percentage: 100,
      refund_amount: '40.00',
    });
    expect(await slotIsBooked(ctx.testApp.dataSource, parties.slotId)).toBe(false);
    await waitForIdleQueue(ctx.testApp.dataSource, RELEASE_HOLD_QUEUE);
    expect(cancelCalls(paymentIntentId).map((c) => c.idempotencyKey)).toEqual([`cancel_${id}`]);
    await ctx.assertMoneyConsistent(id);
  });

  it('AUTH-20 [FAULT]: Stripe answering 500 does not fail the deletion; the release is retried until it succeeds', async () => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    const { id, paymentIntentId } = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, parties);
    // One delivery attempt: the call and the SDK's two retries.
    ctx.fake.failNext(3, { kind: 'http_500' }, { method: 'POST', path: /\/cancel$/ });

    const response = await deleteAccount(parties.buyer.id);

    expect(response.status).toBe(200);
    expect((await row(id)).status).toBe('cancelled');
    await waitForIdleQueue(ctx.testApp.dataSource, RELEASE_HOLD_QUEUE, 30_000);
    expect(cancelCalls(paymentIntentId).map((c) => c.status)).toEqual([500, 500, 500, 200]);
    expect(
      ctx.testApp.logs.records().some((e) => e.event === 'stripe_cancel_failed_on_account_deletion'),
    ).toBe(true);
    await ctx.assertMoneyConsistent(id);
  }, 40_000);

  it("AUTH-22: a deleted mechanic's pending booking is cancelled by the mechanic and its slot goes with the account", async () => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    const { id } = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, parties);

    const response = await deleteAccount(parties.mechanic.id);

    expect(response.status).toBe(200);
    expect(await row(id)).toMatchObject({
      status: 'cancelled',
      cancelled_by: 'mechanic',
      availability_id: null,
    });
    const slots = await ctx.testApp.dataSource.query('SELECT id FROM availabilities WHERE mechanic_id = $1', [
      parties.mechanic.profileId,
    ]);
    expect(slots).toEqual([]);
    await waitForIdleQueue(ctx.testApp.dataSource, RELEASE_HOLD_QUEUE);
    await ctx.assertMoneyConsistent(id);
  });

  it("AUTH-22 (Stripe part): the mechanic's Connect account is closed once the deletion commits, and the profile forgets it", async () => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    ctx.fake.objects.putAccount('acct_test_fixture');
    await ctx.testApp.dataSource.query(
      "UPDATE mechanic_profiles SET stripe_account_id = 'acct_test_fixture' WHERE id = $1",
      [parties.mechanic.profileId],
    );
    // One delivery attempt fails (the call and the SDK's two retries): the closure is retried, not lost.
    ctx.fake.failNext(3, { kind: 'http_500' }, { method: 'DELETE', path: /\/v1\/accounts\// });

    const response = await deleteAccount(parties.mechanic.id);

    expect(response.status).toBe(200);
    const [profile]: { stripe_account_id: string | null }[] = await ctx.testApp.dataSource.query(
      'SELECT stripe_account_id FROM mechanic_profiles WHERE id = $1',
      [parties.mechanic.profileId],
    );
    expect(profile.stripe_account_id).toBeNull();
    await waitForIdleQueue(ctx.testApp.dataSource, CLOSE_CONNECT_ACCOUNT_QUEUE, 30_000);
    expect(ctx.fake.calls(/DELETE \/v1\/accounts\/acct_test_fixture/).map((c) => c.status)).toEqual([
      500, 500, 500, 200,
    ]);
    expect(ctx.fake.objects.retrieveAccount('acct_test_fixture')).toMatchObject({ status: 404 });
  }, 40_000);

  it('step 2: an active booking refuses the deletion (409) and leaves the pending ones pending', async () => {
    const parties = await createBookingParties(ctx.testApp.dataSource);
    const pending = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, parties);
    const other = await createBookingParties(ctx.testApp.dataSource);
    await insertPaidBooking(
      ctx.testApp.dataSource,
      ctx.fake,
      { ...other, buyer: parties.buyer },
      { status: 'confirmed' },
    );

    expectDomainError(
      await deleteAccount(parties.buyer.id),
      409,
      'You have active bookings. Please complete or cancel them before deleting your account.',
      'active_bookings',
    );
    expect((await row(pending.id)).status).toBe('pending_acceptance');
    expect(ctx.fake.calls()).toEqual([]);
  });
});
