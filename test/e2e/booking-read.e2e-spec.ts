import { insertBooking } from '../support/booking-factories';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken, type UserFixture } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { addDays, createMechanic, createSlot, type MechanicFixture } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

/** 10:00 in Paris (UTC+1 in March). */
const NOW = '2026-03-02T09:00:00.000Z';
const TOMORROW = addDays('2026-03-02', 1);
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

type Party = UserFixture & { token: string };

const ROLE_FIELDS = [
  'id',
  'buyer_id',
  'mechanic_id',
  'availability_id',
  'status',
  'vehicle_type',
  'vehicle_brand',
  'vehicle_model',
  'vehicle_year',
  'vehicle_plate',
  'meeting_address',
  'distance_km',
  'obd_requested',
  'base_price',
  'travel_fees',
  'check_in_at',
  'check_out_at',
  'payment_released_at',
  'created_at',
  'confirmed_at',
  'cancelled_at',
  'cancelled_by',
  'refund_percentage',
  'refund_amount',
];
const ENRICHED = ['refuse_reason', 'proposed_time', 'has_review'];
const SLOT = ['slot_date', 'slot_start_time', 'slot_end_time'];

describe('GET /bookings/me and GET /bookings/{id} (bookings-payments §3.10, §3.11, §3.0.1)', () => {
  const clock = new FixedClock(new Date(NOW));
  const ctx = useTestApp({ clock });

  beforeEach(() => clock.set(NOW));

  const get = (path: string, token: string) =>
    ctx.testApp.http.get(path).set('X-Forwarded-For', newIp()).set(bearer(token));

  async function party(overrides: Parameters<typeof createUser>[1] = {}): Promise<Party> {
    const user = await createUser(ctx.testApp.dataSource, overrides);
    return { ...user, token: forgeToken({ sub: user.id }) };
  }

  /** `BK(status)` of the acceptance fixtures: a buyer, a mechanic, its slot tomorrow 10:00–11:00 Paris. */
  async function bookingFixture(
    columns: Record<string, unknown> = {},
    slot = { start: '10:00:00', end: '11:00:00' },
  ) {
    const buyer = await party({ phone: '+33600000001' });
    const mechanic = await createMechanic(ctx.testApp.dataSource, {}, { phone: '+33600000002' });
    const slotId = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: TOMORROW,
      ...slot,
      isBooked: true,
    });
    const bookingId = await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, {
      availability_id: slotId,
      vehicle_plate: 'AB-123-CD',
      created_at: NOW,
      ...columns,
    });
    return { buyer, mechanic, slotId, bookingId };
  }

  describe('GET /bookings/me', () => {
    it('BOOK-19: a buyer, the mechanic, a mechanic without a profile and an admin each get their scope and X-Total-Count', async () => {
      const { buyer, mechanic, bookingId } = await bookingFixture({ status: 'confirmed', confirmed_at: NOW });
      const noProfile = await party({ role: 'mechanic' });
      const admin = await party({ role: 'admin' });

      const asBuyer = await get('/bookings/me', buyer.token);
      expect(asBuyer.status).toBe(200);
      expect(asBuyer.headers['x-total-count']).toBe('1');
      expect(asBuyer.body).toEqual([expect.objectContaining({ id: bookingId, vehicle_brand: 'Peugeot' })]);

      const asMechanic = await get('/bookings/me', mechanic.token);
      expect(asMechanic.headers['x-total-count']).toBe('1');
      expect(asMechanic.body.map((b: { id: string }) => b.id)).toEqual([bookingId]);

      const asNoProfile = await get('/bookings/me', noProfile.token);
      expect({
        status: asNoProfile.status,
        total: asNoProfile.headers['x-total-count'],
        body: asNoProfile.body,
      }).toEqual({
        status: 200,
        total: '0',
        body: [],
      });

      const asAdmin = await get('/bookings/me', admin.token);
      const [{ count }] = await ctx.testApp.dataSource.query('SELECT count(*)::int AS count FROM bookings');
      expect(asAdmin.headers['x-total-count']).toBe(String(count));
      expect(asAdmin.body.map((b: { id: string }) => b.id)).toContain(bookingId);
    });

    it('newest first, paginated with limit and offset; the total counts every match', async () => {
      const buyer = await party();
      const mechanic = await createMechanic(ctx.testApp.dataSource);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(
          await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, {
            created_at: new Date(Date.parse(NOW) + i * 60_000),
          }),
        );
      }
      const page = await get('/bookings/me?limit=2&offset=1', buyer.token);
      expect(page.headers['x-total-count']).toBe('3');
      expect(page.body.map((b: { id: string }) => b.id)).toEqual([ids[1], ids[0]]);
    });

    it.each(['limit=0', 'limit=201', 'offset=-1', 'offset=10001', 'limit=abc'])(
      '422 for %s',
      async (query) => {
        const buyer = await party();
        const response = await get(`/bookings/me?${query}`, buyer.token);
        expect(response.status).toBe(422);
        expect(response.body.detail[0].loc[0]).toBe('query');
      },
    );

    it('403 without a token, as the original HTTPBearer answered', async () => {
      const response = await ctx.testApp.http.get('/bookings/me').set('X-Forwarded-For', newIp());
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 403,
        code: 'not_authenticated',
      });
    });
  });

  describe('role views (§3.0.1)', () => {
    it('the buyer sees the total but neither the commission nor the payout', async () => {
      const { buyer, bookingId } = await bookingFixture();
      const { body } = await get(`/bookings/${bookingId}`, buyer.token);
      expect(Object.keys(body).sort()).toEqual([...ROLE_FIELDS, 'total_price', ...ENRICHED, ...SLOT].sort());
      expect(body).toMatchObject({ total_price: '40.00', base_price: '40.00', vehicle_plate: 'AB-123-CD' });
    });

    it('N13.24: the mechanic sees the payout but neither the total nor the commission', async () => {
      const { mechanic, bookingId } = await bookingFixture();
      const { body } = await get(`/bookings/${bookingId}`, mechanic.token);
      expect(Object.keys(body).sort()).toEqual(
        [...ROLE_FIELDS, 'mechanic_payout', ...ENRICHED, ...SLOT].sort(),
      );
      expect(body.mechanic_payout).toBe('32.00');
    });

    it('an admin sees every amount; nobody sees coordinates, rate, PaymentIntent, code or GPS', async () => {
      const { bookingId } = await bookingFixture({ mechanic_lat: 43.6, mechanic_lng: 1.44 });
      const admin = await party({ role: 'admin' });
      const { status, body } = await get(`/bookings/${bookingId}`, admin.token);
      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(
        [...ROLE_FIELDS, 'total_price', 'commission_amount', 'mechanic_payout', ...ENRICHED, ...SLOT].sort(),
      );
      expect(body).toMatchObject({
        commission_amount: '8.00',
        mechanic_payout: '32.00',
        total_price: '40.00',
      });
    });

    it('the enriched keys: the slot in wall-clock HH:MM, refusal fields, has_review', async () => {
      const { buyer, bookingId } = await bookingFixture(
        {
          status: 'cancelled',
          cancelled_at: NOW,
          cancelled_by: 'mechanic',
          refuse_reason: 'too_far',
          proposed_time: '14:00',
          refund_percentage: 100,
          refund_amount: '40.00',
        },
        { start: '09:30:00', end: '10:00:00' },
      );
      const { body } = await get(`/bookings/${bookingId}`, buyer.token);
      expect(body).toMatchObject({
        slot_date: TOMORROW,
        slot_start_time: '09:30',
        slot_end_time: '10:00',
        refuse_reason: 'too_far',
        proposed_time: '14:00',
        has_review: false,
        cancelled_by: 'mechanic',
        refund_percentage: 100,
        refund_amount: '40.00',
      });
    });

    it('no slot keys once the booking lost its availability', async () => {
      const { buyer, slotId, bookingId } = await bookingFixture();
      await ctx.testApp.dataSource.query('DELETE FROM availabilities WHERE id = $1', [slotId]);
      const { body } = await get(`/bookings/${bookingId}`, buyer.token);
      expect(body.availability_id).toBeNull();
      for (const key of SLOT) expect(body).not.toHaveProperty(key);
    });

    it.each(['completed', 'cancelled'] as const)(
      'the mechanic no longer sees the plate of a %s booking; the buyer does',
      async (status) => {
        const columns =
          status === 'completed'
            ? { status, payment_released_at: NOW }
            : {
                status,
                cancelled_at: NOW,
                cancelled_by: 'buyer',
                refund_percentage: 100,
                refund_amount: '40.00',
              };
        const { buyer, mechanic, bookingId } = await bookingFixture(columns);
        expect((await get(`/bookings/${bookingId}`, mechanic.token)).body.vehicle_plate).toBeNull();
        expect((await get(`/bookings/${bookingId}`, buyer.token)).body.vehicle_plate).toBe('AB-123-CD');
        expect((await get('/bookings/me', mechanic.token)).body[0].vehicle_plate).toBeNull();
      },
    );
  });

  describe('contact_phone (§3.0.1)', () => {
    const confirmed = { status: 'confirmed', confirmed_at: NOW };

    it('absent more than 2 hours before the slot', async () => {
      const { buyer, mechanic, bookingId } = await bookingFixture(confirmed);
      expect((await get(`/bookings/${bookingId}`, buyer.token)).body).not.toHaveProperty('contact_phone');
      expect((await get(`/bookings/${bookingId}`, mechanic.token)).body).not.toHaveProperty('contact_phone');
    });

    it('within 2 hours of the slot (Paris wall clock, D3), and after it: each party gets the other one’s phone; admins never', async () => {
      const { buyer, mechanic, bookingId } = await bookingFixture(confirmed);
      const admin = await party({ role: 'admin' });
      // The slot starts tomorrow 10:00 Paris = 09:00Z; 07:00Z is exactly 2 h before.
      clock.set('2026-03-03T07:00:00Z');
      expect((await get(`/bookings/${bookingId}`, buyer.token)).body.contact_phone).toBe('+33600000002');
      expect((await get(`/bookings/${bookingId}`, mechanic.token)).body.contact_phone).toBe('+33600000001');
      expect((await get(`/bookings/${bookingId}`, admin.token)).body).not.toHaveProperty('contact_phone');
      clock.set('2026-03-03T12:00:00Z');
      expect((await get('/bookings/me', buyer.token)).body[0].contact_phone).toBe('+33600000002');
      clock.set('2026-03-03T06:59:59Z');
      expect((await get(`/bookings/${bookingId}`, buyer.token)).body).not.toHaveProperty('contact_phone');
    });

    it('only for a confirmed booking with a slot; a missing phone is null', async () => {
      const pending = await bookingFixture();
      clock.set('2026-03-03T08:30:00Z');
      expect((await get(`/bookings/${pending.bookingId}`, pending.buyer.token)).body).not.toHaveProperty(
        'contact_phone',
      );
      const noPhone = await bookingFixture(confirmed);
      await ctx.testApp.dataSource.query('UPDATE users SET phone = NULL WHERE id = $1', [
        noPhone.mechanic.id,
      ]);
      const body = (await get(`/bookings/${noPhone.bookingId}`, noPhone.buyer.token)).body;
      expect(body).toHaveProperty('contact_phone', null);
    });
  });

  describe('GET /bookings/{id}: who may read (§3.11)', () => {
    let fixture: Awaited<ReturnType<typeof bookingFixture>>;
    let otherMechanic: MechanicFixture;

    beforeAll(async () => {
      fixture = await bookingFixture();
      otherMechanic = await createMechanic(ctx.testApp.dataSource);
    });

    it('404 "Booking not found" for an unknown id, whoever asks', async () => {
      expectDomainError(
        await get(`/bookings/${UNKNOWN}`, fixture.buyer.token),
        404,
        'Booking not found',
        'booking_not_found',
      );
    });

    it('403 "Not your booking" for another buyer, another mechanic and a mechanic without a profile', async () => {
      const otherBuyer = await party();
      const noProfile = await party({ role: 'mechanic' });
      for (const token of [otherBuyer.token, otherMechanic.token, noProfile.token]) {
        expectDomainError(
          await get(`/bookings/${fixture.bookingId}`, token),
          403,
          'Not your booking',
          'not_your_booking',
        );
      }
    });

    it('422 for an id that is not a UUID', async () => {
      const response = await get('/bookings/not-a-uuid', fixture.buyer.token);
      expect(response.status).toBe(422);
      expect(response.body.detail[0].loc).toEqual(['path', 'booking_id']);
    });
  });
});
