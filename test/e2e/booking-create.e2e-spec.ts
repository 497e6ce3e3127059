import { register as metricsRegistry } from 'prom-client';
import { attachStripeAccount, bookingRequest } from '../support/booking-factories';
import { FixedClock } from '../support/clock';
import { ok } from '../support/fake-stripe/stripe-objects';
import { bearer, createUser, forgeToken, type UserFixture } from '../support/factories';
import { geodesicKm } from '../support/geodesic';
import { expectDomainError, newIp } from '../support/http';
import {
  addDays,
  createMechanic,
  createSlot,
  type MechanicFixture,
  type ProfileOverrides,
  type SlotFixture,
} from '../support/mechanic-factories';
import { useStripeTestApp } from '../support/stripe-test-app';

/** 10:00 in Paris (UTC+1 in March): slots are wall-clock times of APP_TIMEZONE (D3). */
const NOW = '2026-03-02T09:00:00.000Z';
const TODAY = '2026-03-02';
const TOMORROW = addDays(TODAY, 1);
const TOULOUSE = { lat: 43.6047, lng: 1.4442 };
const PAYMENT_FAILED = 'Payment processing failed. Please try again or contact support.';

interface SlotRow {
  id: string;
  start: string;
  end: string;
  is_booked: boolean;
}

describe('POST /bookings (bookings-payments §3.1)', () => {
  const clock = new FixedClock(new Date(NOW));
  const ctx = useStripeTestApp({ clock });
  let buyer: UserFixture & { token: string };

  beforeAll(async () => {
    const user = await createUser(ctx.testApp.dataSource, { phone: '+33600000001' });
    buyer = { ...user, token: forgeToken({ sub: user.id }) };
  });

  beforeEach(() => {
    ctx.fake.reset();
    clock.set(NOW);
  });

  /** The acceptance mechanic `MP` with its own Connect account known to the fake. */
  async function bookableMechanic(profile: ProfileOverrides = {}): Promise<MechanicFixture> {
    const mechanic = await createMechanic(ctx.testApp.dataSource, profile, { phone: '+33600000002' });
    ctx.fake.objects.putAccount(await attachStripeAccount(ctx.testApp.dataSource, mechanic.profileId));
    return mechanic;
  }

  async function mechanicWithSlot(slot: Partial<SlotFixture> = {}, profile: ProfileOverrides = {}) {
    const mechanic = await bookableMechanic(profile);
    const slotId = await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: TOMORROW, ...slot });
    return { mechanic, slotId };
  }

  const book = (body: Record<string, unknown>, token = buyer.token) =>
    ctx.testApp.http.post('/bookings').set('X-Forwarded-For', newIp()).set(bearer(token)).send(body);

  const slotsOf = (profileId: string): Promise<SlotRow[]> =>
    ctx.testApp.dataSource.query(
      `SELECT id, to_char(start_time, 'HH24:MI') AS start, to_char(end_time, 'HH24:MI') AS "end", is_booked
         FROM availabilities WHERE mechanic_id = $1 ORDER BY date, start_time`,
      [profileId],
    );

  const bookingsOf = (profileId: string): Promise<Record<string, unknown>[]> =>
    ctx.testApp.dataSource.query('SELECT * FROM bookings WHERE mechanic_id = $1', [profileId]);

  async function createdCount(): Promise<number> {
    const metric = metricsRegistry.getSingleMetric('emecano_bookings_created_total');
    if (!metric) throw new Error('emecano_bookings_created_total is not registered');
    const { values } = await metric.get();
    return values.find((value) => value.labels.status === 'pending_acceptance')?.value ?? 0;
  }

  const paymentIntentCalls = () => ctx.fake.calls(/^POST \/v1\/payment_intents$/);

  describe('the happy path', () => {
    it('BOOK-01 M-030 D5: 201 with the buyer view and the client secret; the booking, slot, notification, PaymentIntent and metric', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      const before = await createdCount();

      const response = await book(bookingRequest(mechanic.profileId, slotId));

      expect(response.status).toBe(201);
      expect(response.headers['cache-control']).toBe('no-store');
      const [row] = await bookingsOf(mechanic.profileId);
      const distance = geodesicKm(TOULOUSE.lat, TOULOUSE.lng, 43.61, 1.45);
      expect(response.body).toEqual({
        booking: {
          id: row.id,
          buyer_id: buyer.id,
          mechanic_id: mechanic.profileId,
          availability_id: slotId,
          status: 'pending_acceptance',
          vehicle_type: 'car',
          vehicle_brand: 'Peugeot',
          vehicle_model: '308',
          vehicle_year: 2019,
          vehicle_plate: null,
          meeting_address: '2 rue Alsace-Lorraine, Toulouse',
          distance_km: Number(distance.toFixed(2)),
          obd_requested: false,
          base_price: '40.00',
          travel_fees: '0.00',
          total_price: '40.00',
          check_in_at: null,
          check_out_at: null,
          payment_released_at: null,
          created_at: NOW,
          confirmed_at: null,
          cancelled_at: null,
          cancelled_by: null,
          refund_percentage: null,
          refund_amount: null,
        },
        client_secret: expect.stringMatching(/^pi_\w+_secret_\w+$/),
      });
      expect(row).toMatchObject({
        commission_rate: '0.2000',
        commission_amount: '8.00',
        mechanic_payout: '32.00',
        distance_km: distance.toFixed(2),
        stripe_payment_intent_id: response.body.client_secret.split('_secret_')[0],
      });
      expect(await slotsOf(mechanic.profileId)).toEqual([
        { id: slotId, start: '10:00', end: '11:00', is_booked: true },
      ]);
      const [intent] = paymentIntentCalls();
      expect(intent.params).toEqual({
        amount: '4000',
        currency: 'eur',
        capture_method: 'manual',
        metadata: { buyer_id: buyer.id, mechanic_id: mechanic.profileId },
        transfer_data: { destination: `acct_test_${mechanic.profileId.replace(/-/g, '').slice(0, 16)}` },
        application_fee_amount: '800',
      });
      // D5 supersedes BOOK-01's key: a nonce, so that no retry or re-booking replays a dead PaymentIntent.
      expect(intent.idempotencyKey).toMatch(new RegExp(`^booking_${buyer.id}_${slotId}_[0-9a-f]{8}$`));
      expect(ctx.fake.calls()).toHaveLength(1);
      const notifications = await ctx.testApp.dataSource.query(
        'SELECT type, title, body, data FROM notifications WHERE user_id = $1',
        [mechanic.id],
      );
      expect(notifications).toEqual([
        {
          type: 'booking_created',
          title: 'Nouvelle demande de RDV',
          body: 'Un acheteur souhaite reserver un controle pour Peugeot 308.',
          data: { type: 'booking_created', booking_id: row.id },
        },
      ]);
      const transitions = await ctx.testApp.dataSource.query(
        'SELECT from_status, to_status, event, actor_role, actor_id FROM booking_transitions WHERE booking_id = $1',
        [row.id],
      );
      expect(transitions).toEqual([
        {
          from_status: null,
          to_status: 'pending_acceptance',
          event: 'create',
          actor_role: 'buyer',
          actor_id: buyer.id,
        },
      ]);
      expect((await createdCount()) - before).toBe(1);
    });

    it('N13.13 D5: two bookings by one buyer of one slot window never share a PaymentIntent key', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({ start: '10:00:00', end: '11:30:00' });
      expect(
        (await book(bookingRequest(mechanic.profileId, slotId, { slot_start_time: '10:00' }))).status,
      ).toBe(201);
      const [, right] = await slotsOf(mechanic.profileId);
      expect(
        (await book(bookingRequest(mechanic.profileId, right.id, { slot_start_time: '11:00' }))).status,
      ).toBe(201);
      const keys = paymentIntentCalls().map((call) => call.idempotencyKey);
      expect(new Set(keys).size).toBe(2);
      expect(paymentIntentCalls().every((call) => !call.replayed)).toBe(true);
    });
  });

  describe('slot checks', () => {
    it('BOOK-02: a booked slot → 409 "This slot is already booked", no Stripe call', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({ isBooked: true });
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId)),
        409,
        'This slot is already booked',
        'slot_booked',
      );
      expect(ctx.fake.calls()).toEqual([]);
    });

    it('BOOK-03: less than 2 hours ahead → 400, no Stripe call and no split', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({
        date: TODAY,
        start: '10:30:00',
        end: '12:00:00',
      });
      const response = await book(bookingRequest(mechanic.profileId, slotId, { slot_start_time: '10:30' }));
      expectDomainError(response, 400, 'Booking must be at least 2 hours in advance', 'booking_too_soon');
      expect(ctx.fake.calls()).toEqual([]);
      expect(await slotsOf(mechanic.profileId)).toEqual([
        { id: slotId, start: '10:30', end: '12:00', is_booked: false },
      ]);
    });

    it('D3: the advance is measured on the wall clock of APP_TIMEZONE, not on UTC', async () => {
      // 11:30 in Paris is 1.5 h away at 10:00 Paris time (read as UTC, 11:30Z would be 2.5 h away).
      const { mechanic, slotId } = await mechanicWithSlot({
        date: TODAY,
        start: '11:30:00',
        end: '12:00:00',
      });
      expect((await book(bookingRequest(mechanic.profileId, slotId))).status).toBe(400);
      // 12:00 in Paris is exactly 2 h away: allowed.
      const later = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
        date: TODAY,
        start: '12:00:00',
        end: '12:30:00',
      });
      expect((await book(bookingRequest(mechanic.profileId, later))).status).toBe(201);
    });

    it('§12.1: more than 6 days ahead → 400 (card authorisations lapse after about 7 days)', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({
        date: addDays(TODAY, 6),
        start: '10:30:00',
        end: '11:00:00',
      });
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId)),
        400,
        'Booking cannot be more than 6 days in advance due to payment authorization limits',
        'booking_too_far_ahead',
      );
      const inTime = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
        date: addDays(TODAY, 6),
        start: '09:00:00',
        end: '09:30:00',
      });
      expect((await book(bookingRequest(mechanic.profileId, inTime))).status).toBe(201);
    });

    it('BOOK-05: an unknown availability → 404 "Availability slot not found"', async () => {
      const mechanic = await bookableMechanic();
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, '00000000-0000-4000-8000-000000000000')),
        404,
        'Availability slot not found',
        'availability_not_found',
      );
    });

    it('§3.1-3: a slot_start_time that is no time of day → 422 with a string detail', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId, { slot_start_time: '25:00' })),
        422,
        "Invalid slot_start_time format: '25:00'. Expected HH:MM (e.g. '09:00')",
        'invalid_slot_start_time',
      );
    });

    it('§3.1-5: a sub-slot outside the window → 400 naming the window', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId, { slot_start_time: '10:45' })),
        400,
        'Chosen time 10:45 is outside the availability window 10:00-11:00',
        'slot_outside_window',
      );
      expect(ctx.fake.calls()).toEqual([]);
    });
  });

  describe('sub-slots and the buffer (§3.1 steps 5 and 9)', () => {
    it('BOOK-11: a sub-slot that is the whole window keeps the row', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({ start: '10:00:00', end: '10:30:00' });
      const response = await book(bookingRequest(mechanic.profileId, slotId, { slot_start_time: '10:00' }));
      expect(response.status).toBe(201);
      expect(response.body.booking.availability_id).toBe(slotId);
      expect(await slotsOf(mechanic.profileId)).toEqual([
        { id: slotId, start: '10:00', end: '10:30', is_booked: true },
      ]);
    });

    it('BOOK-12: a split at the end of a window, the free piece trimmed by the buffer', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({ start: '10:00:00', end: '12:00:00' });
      const response = await book(bookingRequest(mechanic.profileId, slotId, { slot_start_time: '11:30' }));
      expect(response.status).toBe(201);
      const slots = await slotsOf(mechanic.profileId);
      expect(slots.map(({ start, end, is_booked }) => ({ start, end, is_booked }))).toEqual([
        { start: '10:00', end: '11:15', is_booked: false },
        { start: '11:30', end: '12:00', is_booked: true },
      ]);
      expect(slots.map((slot) => slot.id)).not.toContain(slotId);
      expect(response.body.booking.availability_id).toBe(slots[1].id);
    });

    it('BOOK-13: a split at the start of a window', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({ start: '14:00:00', end: '16:00:00' });
      expect(
        (await book(bookingRequest(mechanic.profileId, slotId, { slot_start_time: '14:00' }))).status,
      ).toBe(201);
      expect(
        (await slotsOf(mechanic.profileId)).map(({ start, end, is_booked }) => ({ start, end, is_booked })),
      ).toEqual([
        { start: '14:00', end: '14:30', is_booked: true },
        { start: '14:45', end: '16:00', is_booked: false },
      ]);
    });

    it('BOOK-14: a split in the middle: three rows, the booking on the booked 30 minutes', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({ start: '09:00:00', end: '12:00:00' });
      const response = await book(bookingRequest(mechanic.profileId, slotId, { slot_start_time: '10:30' }));
      expect(response.status).toBe(201);
      const slots = await slotsOf(mechanic.profileId);
      expect(slots.map(({ start, end, is_booked }) => ({ start, end, is_booked }))).toEqual([
        { start: '09:00', end: '10:15', is_booked: false },
        { start: '10:30', end: '11:00', is_booked: true },
        { start: '11:15', end: '12:00', is_booked: false },
      ]);
      const [row] = await bookingsOf(mechanic.profileId);
      expect(row.availability_id).toBe(slots[1].id);
    });

    it('the buffer blocks a neighbour inside it, trims one that sticks out, and leaves other days alone', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({ start: '10:00:00', end: '10:30:00' });
      const ids = {
        inside: await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
          date: TOMORROW,
          start: '09:45:00',
          end: '10:00:00',
        }),
        after: await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
          date: TOMORROW,
          start: '10:30:00',
          end: '11:30:00',
        }),
        otherDay: await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
          date: addDays(TOMORROW, 1),
          start: '10:30:00',
          end: '11:00:00',
        }),
      };
      expect((await book(bookingRequest(mechanic.profileId, slotId))).status).toBe(201);
      const byId = Object.fromEntries((await slotsOf(mechanic.profileId)).map((slot) => [slot.id, slot]));
      expect(byId[ids.inside]).toMatchObject({ start: '09:45', end: '10:00', is_booked: true });
      expect(byId[ids.after]).toMatchObject({ start: '10:45', end: '11:30', is_booked: false });
      expect(byId[ids.otherDay]).toMatchObject({ start: '10:30', end: '11:00', is_booked: false });
    });
  });

  describe('mechanic checks (§3.1-6, in the contract order)', () => {
    it('BOOK-04: a vehicle type the mechanic does not accept → 400', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId, { vehicle_type: 'utility' })),
        400,
        'Mechanic does not accept this vehicle type',
        'service_not_offered',
      );
    });

    it('BOOK-06: an unknown mechanic → 404 "Mechanic not found", the slot still free', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      expectDomainError(
        await book(bookingRequest('00000000-0000-4000-8000-000000000000', slotId)),
        404,
        'Mechanic not found',
        'mechanic_not_found',
      );
      expect((await slotsOf(mechanic.profileId))[0].is_booked).toBe(false);
    });

    it('BOOK-07: a mechanic whose identity is not verified → 400', async () => {
      const { mechanic, slotId } = await mechanicWithSlot({}, { isIdentityVerified: false });
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId)),
        400,
        'Mechanic not verified',
        'mechanic_not_bookable',
      );
    });

    it('BOOK-08: a slot of another mechanic → 400 "Slot does not belong to this mechanic"', async () => {
      const { slotId } = await mechanicWithSlot();
      const other = await bookableMechanic({ vehicleTypes: ['car'] });
      expectDomainError(
        await book(bookingRequest(other.profileId, slotId)),
        400,
        'Slot does not belong to this mechanic',
        'slot_not_owned',
      );
      expect(ctx.fake.calls()).toEqual([]);
    });

    it('BOOK-09: a meeting point beyond the radius → 400 with the geodesic distance', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      const response = await book(
        bookingRequest(mechanic.profileId, slotId, { meeting_lat: 48.8566, meeting_lng: 2.3522 }),
      );
      const km = geodesicKm(TOULOUSE.lat, TOULOUSE.lng, 48.8566, 2.3522).toFixed(1);
      expectDomainError(
        response,
        400,
        `Meeting point is ${km} km away, beyond mechanic's max radius of 50 km`,
        'beyond_radius',
      );
    });

    it.each<[string, ProfileOverrides, Record<string, unknown>, string, string]>([
      ['inactive', { isActive: false }, {}, 'Mechanic is not currently active', 'mechanic_not_bookable'],
      [
        'suspended',
        { suspendedUntil: new Date('2026-04-01T00:00:00Z') },
        {},
        'Mechanic is currently suspended',
        'mechanic_not_bookable',
      ],
      [
        'without OBD',
        {},
        { obd_requested: true },
        'This mechanic does not offer OBD diagnostic service',
        'service_not_offered',
      ],
      [
        'without a location',
        { lat: null, lng: null },
        {},
        'Mechanic has not set their service location',
        'service_not_offered',
      ],
    ])('§3.1-6: a mechanic %s → 400', async (_, profile, body, detail, code) => {
      const { mechanic, slotId } = await mechanicWithSlot({}, profile);
      expectDomainError(await book(bookingRequest(mechanic.profileId, slotId, body)), 400, detail, code);
      expect(ctx.fake.calls()).toEqual([]);
    });

    it('§3.1-6: a suspension that is over does not stop a booking', async () => {
      const { mechanic, slotId } = await mechanicWithSlot(
        {},
        { suspendedUntil: new Date('2026-03-01T00:00:00Z') },
      );
      expect((await book(bookingRequest(mechanic.profileId, slotId))).status).toBe(201);
    });

    it('§3.1-6: a mechanic cannot book themself (a buyer account on the same user is impossible, so the user id decides)', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      // A verified buyer token whose user owns the profile: moved under a buyer user for the test.
      const self = await createUser(ctx.testApp.dataSource);
      await ctx.testApp.dataSource.query('UPDATE mechanic_profiles SET user_id = $2 WHERE id = $1', [
        mechanic.profileId,
        self.id,
      ]);
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId), forgeToken({ sub: self.id })),
        400,
        'You cannot book your own services',
        'cannot_book_self',
      );
    });

    it('§3.1-8: a mechanic without a Connect account → 400, no Stripe call', async () => {
      const mechanic = await createMechanic(ctx.testApp.dataSource);
      const slotId = await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: TOMORROW });
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId)),
        400,
        'This mechanic has not completed payment onboarding yet',
        'mechanic_payments_not_ready',
      );
      expect(ctx.fake.calls()).toEqual([]);
    });
  });

  describe('who may book, and the request schema', () => {
    it('BOOK-10, AUTH-25(a): an unverified buyer → 403; a mechanic → 403 "Only buyers…"', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      const unverified = await createUser(ctx.testApp.dataSource, { isVerified: false });
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId), forgeToken({ sub: unverified.id })),
        403,
        'Email verification required. Please verify your email before proceeding.',
        'email_not_verified',
      );
      expectDomainError(
        await book(bookingRequest(mechanic.profileId, slotId), mechanic.token),
        403,
        'Only buyers can access this resource',
        'access_denied',
      );
      expect((await slotsOf(mechanic.profileId))[0].is_booked).toBe(false);
    });

    it('§3.0: 5 bookings a minute per client address, then 429 {"error"}; refused requests spend nothing', async () => {
      const mechanic = await bookableMechanic();
      const ip = newIp();
      const attempt = (body: Record<string, unknown>) =>
        ctx.testApp.http.post('/bookings').set('X-Forwarded-For', ip).set(bearer(buyer.token)).send(body);
      const unknownSlot = bookingRequest(mechanic.profileId, '00000000-0000-4000-8000-000000000000');
      expect((await attempt({ ...unknownSlot, vehicle_year: 1900 })).status).toBe(422);
      for (let i = 0; i < 5; i++) expect((await attempt(unknownSlot)).status).toBe(404);
      const limited = await attempt(unknownSlot);
      expect({ status: limited.status, body: limited.body }).toEqual({
        status: 429,
        body: { error: 'Rate limit exceeded: 5 per 1 minute' },
      });
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['vehicle_year before 1950', { vehicle_year: 1949 }, 'vehicle_year'],
      ['vehicle_year after next year', { vehicle_year: new Date().getUTCFullYear() + 2 }, 'vehicle_year'],
      ['a plate with other characters', { vehicle_plate: 'AB-123-<C>' }, 'vehicle_plate'],
      ['a plate over 20 characters', { vehicle_plate: 'A'.repeat(21) }, 'vehicle_plate'],
      ['an empty brand', { vehicle_brand: '' }, 'vehicle_brand'],
      ['an unknown vehicle type', { vehicle_type: 'boat' }, 'vehicle_type'],
      ['a latitude beyond 90', { meeting_lat: 91 }, 'meeting_lat'],
      ['a longitude beyond 180', { meeting_lng: -181 }, 'meeting_lng'],
      ['a slot_start_time not HH:MM', { slot_start_time: '9:00' }, 'slot_start_time'],
      ['an availability id that is no uuid', { availability_id: 'abc' }, 'availability_id'],
      ['a missing mechanic', { mechanic_id: undefined }, 'mechanic_id'],
    ])('422 for %s, listed FastAPI-style', async (_, overrides, field) => {
      const { mechanic, slotId } = await mechanicWithSlot();
      const response = await book(bookingRequest(mechanic.profileId, slotId, overrides));
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual(
        expect.arrayContaining([expect.objectContaining({ loc: ['body', field] })]),
      );
      expect(ctx.fake.calls()).toEqual([]);
    });

    it('accepts a plate with letters, digits, dashes and spaces, and OBD from a mechanic who offers it', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      await ctx.testApp.dataSource.query(
        'UPDATE mechanic_profiles SET has_obd_diagnostic = true WHERE id = $1',
        [mechanic.profileId],
      );
      const response = await book(
        bookingRequest(mechanic.profileId, slotId, { vehicle_plate: 'AB-123 CD', obd_requested: true }),
      );
      expect(response.status).toBe(201);
      expect(response.body.booking).toMatchObject({
        vehicle_plate: 'AB-123 CD',
        obd_requested: true,
        base_price: '65.00',
        total_price: '65.00',
      });
    });
  });

  describe('pricing (§6)', () => {
    it('BOOK-15: a meeting point at the mechanic city: 40.00, commission 8.00, payout 32.00; Stripe 4000 / 800', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      const response = await book(
        bookingRequest(mechanic.profileId, slotId, { meeting_lat: TOULOUSE.lat, meeting_lng: TOULOUSE.lng }),
      );
      expect(response.body.booking).toMatchObject({
        base_price: '40.00',
        travel_fees: '0.00',
        total_price: '40.00',
        distance_km: 0,
      });
      expect((await bookingsOf(mechanic.profileId))[0]).toMatchObject({
        commission_amount: '8.00',
        mechanic_payout: '32.00',
      });
      expect(paymentIntentCalls()[0].params).toMatchObject({ amount: '4000', application_fee_amount: '800' });
    });

    it('BOOK-16 I-12: ~30 km due north: travel fees on the geodesic distance beyond the free zone', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      const north = { meeting_lat: 43.8748, meeting_lng: TOULOUSE.lng };
      const response = await book(bookingRequest(mechanic.profileId, slotId, north));
      const d = geodesicKm(TOULOUSE.lat, TOULOUSE.lng, north.meeting_lat, north.meeting_lng);
      expect(response.body.booking).toMatchObject({
        base_price: '40.00',
        travel_fees: '6.00',
        total_price: '46.00',
        distance_km: Number(d.toFixed(2)),
      });
      const [row] = await bookingsOf(mechanic.profileId);
      expect(row).toMatchObject({ commission_amount: '9.20', mechanic_payout: '36.80' });
      expect(paymentIntentCalls()[0].params).toMatchObject({ amount: '4600', application_fee_amount: '920' });
    });
  });

  describe('payment failures (H-022, I-9)', () => {
    it('BOOK-17 H-022: Stripe fails on the PaymentIntent → 500 with the generic message; no booking, slot free', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      // Enough failures for the SDK's own retries too.
      ctx.fake.failNext(5, { kind: 'http_500' }, { method: 'POST', path: /^\/v1\/payment_intents$/ });
      const response = await book(bookingRequest(mechanic.profileId, slotId));
      expectDomainError(response, 500, PAYMENT_FAILED, 'payment_failed');
      expect(JSON.stringify(response.body)).not.toMatch(/unknown error|api_error/i);
      expect(await bookingsOf(mechanic.profileId)).toEqual([]);
      expect((await slotsOf(mechanic.profileId))[0].is_booked).toBe(false);
      const notifications = await ctx.testApp.dataSource.query(
        'SELECT 1 FROM notifications WHERE user_id = $1',
        [mechanic.id],
      );
      expect(notifications).toEqual([]);
    });

    it.each<['card_declined' | 'connection_reset']>([['card_declined'], ['connection_reset']])(
      'BOOK-17 H-022: Stripe answering %s gives the same answer, and the split is undone',
      async (kind) => {
        const { mechanic, slotId } = await mechanicWithSlot({ start: '10:00:00', end: '12:00:00' });
        ctx.fake.failNext(5, { kind }, { method: 'POST', path: /^\/v1\/payment_intents$/ });
        expectDomainError(
          await book(bookingRequest(mechanic.profileId, slotId, { slot_start_time: '10:30' })),
          500,
          PAYMENT_FAILED,
          'payment_failed',
        );
        expect(await slotsOf(mechanic.profileId)).toEqual([
          { id: slotId, start: '10:00', end: '12:00', is_booked: false },
        ]);
      },
    );

    /** BOOK-18's fault: another booking already holds the PaymentIntent the fake hands out next. */
    async function collidingPaymentIntent(): Promise<string> {
      const taken = await ctx.fake.client().paymentIntents.create({
        amount: 4000,
        currency: 'eur',
        capture_method: 'manual',
      });
      const other = await mechanicWithSlot({ start: '15:00:00', end: '15:30:00' });
      const first = await book(bookingRequest(other.mechanic.profileId, other.slotId));
      await ctx.testApp.dataSource.query('UPDATE bookings SET stripe_payment_intent_id = $2 WHERE id = $1', [
        first.body.booking.id,
        taken.id,
      ]);
      ctx.fake.reset();
      jest
        .spyOn(ctx.fake.objects, 'createPaymentIntent')
        .mockImplementationOnce(() => ok(ctx.fake.objects.paymentIntents.get(taken.id)!));
      return taken.id;
    }

    it('BOOK-18 I-9: the PaymentIntent is cancelled (key cancel_{pi}) when the booking cannot be stored', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      const taken = await collidingPaymentIntent();

      const response = await book(bookingRequest(mechanic.profileId, slotId));

      expect(response.status).toBe(500);
      expect(response.body.detail).toBe('Internal server error');
      expect(ctx.fake.calls().map((call) => `${call.method} ${call.path}`)).toEqual([
        'POST /v1/payment_intents',
        `GET /v1/payment_intents/${taken}`,
        `POST /v1/payment_intents/${taken}/cancel`,
      ]);
      expect(ctx.fake.calls(/cancel$/)[0].idempotencyKey).toBe(`cancel_${taken}`);
      expect(await bookingsOf(mechanic.profileId)).toEqual([]);
      expect((await slotsOf(mechanic.profileId))[0].is_booked).toBe(false);
    });

    it('H-006/H-007: a lock held elsewhere past the lock timeout is a 409, never a 500, and the PaymentIntent is released', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      // Another transaction holds the mechanic's profile (e.g. an onboarding): the booking's foreign
      // key check on it waits for the lock.
      const runner = ctx.testApp.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query('SELECT id FROM mechanic_profiles WHERE id = $1 FOR UPDATE', [mechanic.profileId]);
        expectDomainError(
          await book(bookingRequest(mechanic.profileId, slotId)),
          409,
          'This slot is currently being booked by another user. Please try again.',
          'slot_being_booked',
        );
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      expect(ctx.fake.calls(/^POST \/v1\/payment_intents$/)).toHaveLength(1);
      const cancels = ctx.fake.calls(/cancel$/);
      expect(cancels).toHaveLength(1);
      const intentId = cancels[0].path.split('/')[3];
      expect(cancels[0].idempotencyKey).toBe(`cancel_${intentId}`);
      expect(ctx.fake.objects.paymentIntents.get(intentId)?.status).toBe('canceled');
      expect((await slotsOf(mechanic.profileId))[0].is_booked).toBe(false);
    });

    it('I-9: a compensation that fails too is logged with the PaymentIntent, and the answer stays the same', async () => {
      const { mechanic, slotId } = await mechanicWithSlot();
      const taken = await collidingPaymentIntent();
      ctx.fake.failNext(10, { kind: 'http_500' }, { path: /\/cancel$/ });

      const response = await book(bookingRequest(mechanic.profileId, slotId));

      expect({ status: response.status, detail: response.body.detail }).toEqual({
        status: 500,
        detail: 'Internal server error',
      });
      expect(ctx.testApp.logs.records()).toContainEqual(
        expect.objectContaining({ event: 'booking_authorization_not_released', payment_intent_id: taken }),
      );
      expect(await bookingsOf(mechanic.profileId)).toEqual([]);
    });
  });
});
