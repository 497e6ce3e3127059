import { PUSH_QUEUE } from '../../src/notifications/push/push-delivery';
import { attachStripeAccount, bookingRequest } from '../support/booking-factories';
import { FixedClock } from '../support/clock';
import { waitForIdleQueue } from '../support/delivery';
import { FakeExpo } from '../support/fake-expo';
import { FakeStripe } from '../support/fake-stripe/fake-stripe';
import { bearer, createUser, forgeToken } from '../support/factories';
import { newIp } from '../support/http';
import { addDays, createMechanic, createSlot } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const NOW = '2026-03-02T09:00:00.000Z';

/**
 * A booking created through POST /bookings on a server without STRIPE_SECRET_KEY (development):
 * the PaymentIntent is the development gateway's, and the mechanic's push leaves after the answer.
 */
describe('booking creation: development payments and the mechanic push', () => {
  let expo: FakeExpo;
  let stripe: FakeStripe;

  beforeAll(async () => {
    expo = await FakeExpo.start();
    // Running but not configured: it proves that nothing reaches a Stripe API.
    stripe = await new FakeStripe().start();
  });
  const ctx = useTestApp({
    clock: new FixedClock(new Date(NOW)),
    env: () => ({ EXPO_PUSH_URL: expo.url, STRIPE_SECRET_KEY: '' }),
  });
  afterAll(async () => {
    await expo?.close();
    await stripe?.stop();
  });

  async function bookableSlot(mechanicUser: Parameters<typeof createMechanic>[2] = {}) {
    const mechanic = await createMechanic(ctx.testApp.dataSource, {}, mechanicUser);
    await attachStripeAccount(ctx.testApp.dataSource, mechanic.profileId, `acct_mock_${mechanic.profileId}`);
    const slotId = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: addDays('2026-03-02', 1),
    });
    return { mechanic, slotId };
  }

  const book = async (body: Record<string, unknown>) => {
    const buyer = await createUser(ctx.testApp.dataSource);
    return ctx.testApp.http
      .post('/bookings')
      .set('X-Forwarded-For', newIp())
      .set(bearer(forgeToken({ sub: buyer.id })))
      .send(body);
  };

  it('PAY-04 N13.14: without a Stripe key the booking gets a unique development PaymentIntent and a null client secret, and no request leaves', async () => {
    const first = await bookableSlot();
    const second = await bookableSlot();
    const responses = [
      await book(bookingRequest(first.mechanic.profileId, first.slotId)),
      await book(bookingRequest(second.mechanic.profileId, second.slotId)),
    ];
    expect(responses.map((response) => [response.status, response.body.client_secret])).toEqual([
      [201, null],
      [201, null],
    ]);
    const rows: { stripe_payment_intent_id: string }[] = await ctx.testApp.dataSource.query(
      'SELECT stripe_payment_intent_id FROM bookings WHERE id = ANY($1::uuid[])',
      [responses.map((response) => response.body.booking.id)],
    );
    // Same price twice: the original's `pi_mock_4000` would have collided on the unique index.
    expect(rows.map((row) => row.stripe_payment_intent_id)).toEqual([
      expect.stringMatching(/^pi_dev_[0-9a-f-]{36}$/),
      expect.stringMatching(/^pi_dev_[0-9a-f-]{36}$/),
    ]);
    expect(new Set(rows.map((row) => row.stripe_payment_intent_id)).size).toBe(2);
    expect(stripe.calls()).toEqual([]);
  });

  it('NOTIF-08 C-009: POST /bookings answers before the slow push, which then reaches the mechanic once with the booking category', async () => {
    const pushToken = 'ExponentPushToken[abc]';
    const { mechanic, slotId } = await bookableSlot({ expoPushToken: pushToken });
    await waitForIdleQueue(ctx.testApp.dataSource, PUSH_QUEUE);
    expo.received.length = 0;
    expo.delayAnswers(2_000);

    const started = Date.now();
    const response = await book(bookingRequest(mechanic.profileId, slotId, { vehicle_model: '208' }));
    const elapsed = Date.now() - started;

    expect(response.status).toBe(201);
    expect(elapsed).toBeLessThan(2_000);
    await expo.waitForAccepted(1);
    await waitForIdleQueue(ctx.testApp.dataSource, PUSH_QUEUE);
    expect(expo.received).toEqual([
      {
        to: pushToken,
        title: 'Nouvelle demande de RDV',
        body: 'Un acheteur souhaite reserver un controle pour Peugeot 208.',
        sound: 'default',
        data: { type: 'booking_created', booking_id: response.body.booking.id },
        categoryId: 'booking_request',
      },
    ]);
  });
});
