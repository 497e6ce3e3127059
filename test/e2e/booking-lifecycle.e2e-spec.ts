import { attachStripeAccount, bookingRequest } from '../support/booking-factories';
import { moveSlotTo } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { newIp } from '../support/http';
import { solidJpeg } from '../support/images';
import { createMechanic, createSlot } from '../support/mechanic-factories';
import { JobRunner } from '../../src/scheduling/job-runner';
import { useStripeTestApp } from '../support/stripe-test-app';

/**
 * The whole inspection through the public API, every module together: booking, the card authorised
 * by the app, acceptance, check-in and code, check-out with its report, validation and the release
 * job. With PAYMENT_RELEASE_DELAY_HOURS=0 the validation makes the booking due at once (JOB-08, D12).
 */
describe('FLOW-16 / JOB-08: one booking from creation to the mechanic being paid', () => {
  const clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
  const ctx = useStripeTestApp({ clock, env: { PAYMENT_RELEASE_DELAY_HOURS: '0' } });

  const as = (token: string) => ({
    post: (path: string, body: object) =>
      ctx.testApp.http.post(path).set('X-Forwarded-For', newIp()).set(bearer(token)).send(body),
    patch: (path: string, body: object) =>
      ctx.testApp.http.patch(path).set('X-Forwarded-For', newIp()).set(bearer(token)).send(body),
  });
  const statusOf = async (id: string): Promise<string> =>
    (await ctx.testApp.dataSource.query('SELECT status FROM bookings WHERE id = $1', [id]))[0].status;

  it('FLOW-16 / JOB-08: create → accept → check-in → enter-code → check-out → validate → release: completed, one capture with release_{id}', async () => {
    const buyer = await createUser(ctx.testApp.dataSource);
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    ctx.fake.objects.putAccount(await attachStripeAccount(ctx.testApp.dataSource, mechanic.profileId));
    const slotId = await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: '2026-03-05' });
    const buyerApi = as(forgeToken({ sub: buyer.id }));
    const mechanicToken = forgeToken({ sub: mechanic.id });
    const mechanicApi = as(mechanicToken);

    const created = await buyerApi.post('/bookings', bookingRequest(mechanic.profileId, slotId));
    expect(created.status).toBe(201);
    const id = created.body.booking.id as string;
    const paymentIntentId = (created.body.client_secret as string).split('_secret_')[0];
    // What the mobile app does with the client secret, then Stripe's word that the hold is in place.
    const authorised = await ctx.fake
      .client()
      .paymentIntents.confirm(paymentIntentId, { payment_method: 'pm_card_visa' });
    expect(authorised.status).toBe('requires_capture');
    const webhook = ctx.fake.event('payment_intent.amount_capturable_updated', { ...authorised });
    expect((await ctx.fake.deliver(ctx.testApp.http, webhook, newIp())).status).toBe(200);

    const accepted = await mechanicApi.patch(`/bookings/${id}/accept`, {});
    expect(accepted.status).toBe(200);

    // slot@now: the inspection is due.
    await moveSlotTo(ctx.testApp.dataSource, slotId, clock.now());
    const checkedIn = await buyerApi.patch(`/bookings/${id}/check-in`, { mechanic_present: true });
    expect(checkedIn.status).toBe(200);
    const entered = await mechanicApi.patch(`/bookings/${id}/enter-code`, {
      code: checkedIn.body.check_in_code,
    });
    expect(entered.status).toBe(200);

    const photo = await solidJpeg(48, 32, [30, 96, 200]);
    const checkedOut = await ctx.testApp.http
      .patch(`/bookings/${id}/check-out`)
      .set('X-Forwarded-For', newIp())
      .set(bearer(mechanicToken))
      .field('entered_plate', 'AB-123-CD')
      .field('entered_odometer_km', '85000')
      .field(
        'checklist_json',
        JSON.stringify({
          brakes: 'ok',
          tires: 'ok',
          fluids: 'ok',
          battery: 'ok',
          suspension: 'ok',
          body: 'good',
          exhaust: 'ok',
          lights: 'ok',
          test_drive_done: false,
          recommendation: 'buy',
        }),
      )
      .attach('photo_plate', photo, { filename: 'plate.jpg', contentType: 'image/jpeg' })
      .attach('photo_odometer', photo, { filename: 'odometer.jpg', contentType: 'image/jpeg' });
    expect(checkedOut.status).toBe(200);

    const validated = await buyerApi.patch(`/bookings/${id}/validate`, { validated: true });
    expect(validated.status).toBe(200);
    expect(await statusOf(id)).toBe('validated');

    ctx.fake.reset();
    await ctx.testApp.app.get(JobRunner).run('release_payment');

    expect(await statusOf(id)).toBe('completed');
    const captures = ctx.fake.calls(/\/capture$/);
    expect(captures.map((call) => call.idempotencyKey)).toEqual([`release_${id}`]);
    expect(ctx.fake.objects.paymentIntents.get(paymentIntentId)).toMatchObject({ status: 'succeeded' });
    await ctx.assertMoneyConsistent(id);

    // Released once: a second run finds nothing due and calls Stripe no more.
    await ctx.testApp.app.get(JobRunner).run('release_payment');
    expect(ctx.fake.calls(/\/capture$/)).toHaveLength(1);
  });
});
