import { insertBooking } from '../support/booking-factories';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic, createSlot, type ProfileOverrides } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

/** The slot: 2026-03-03 10:00–10:30 in Paris = 09:00–09:30Z; tracking 08:45Z–09:45Z (§0.9). */
const DATE = '2026-03-03';
const NOW = '2026-03-03T09:10:00.000Z';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('the mechanic position: PATCH and GET /bookings/{id}/location (§3.12, §3.13 with §12.4)', () => {
  const clock = new FixedClock(new Date(NOW));
  const ctx = useTestApp({ clock });

  beforeEach(() => clock.set(NOW));

  async function confirmedBooking(columns: Record<string, unknown> = {}, profile: ProfileOverrides = {}) {
    const buyer = await createUser(ctx.testApp.dataSource);
    const mechanic = await createMechanic(ctx.testApp.dataSource, profile);
    const slotId = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: DATE,
      start: '10:00:00',
      end: '10:30:00',
      isBooked: true,
    });
    const bookingId = await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, {
      status: 'confirmed',
      confirmed_at: '2026-03-02T09:00:00Z',
      availability_id: slotId,
      ...columns,
    });
    return { buyer: { ...buyer, token: forgeToken({ sub: buyer.id }) }, mechanic, slotId, bookingId };
  }

  const patch = (
    bookingId: string,
    token: string,
    body: Record<string, unknown> = { lat: 43.60123, lng: 1.44987 },
  ) =>
    ctx.testApp.http
      .patch(`/bookings/${bookingId}/location`)
      .set('X-Forwarded-For', newIp())
      .set(bearer(token))
      .send(body);
  const read = (bookingId: string, token: string) =>
    ctx.testApp.http
      .get(`/bookings/${bookingId}/location`)
      .set('X-Forwarded-For', newIp())
      .set(bearer(token));
  const stored = async (bookingId: string) =>
    (
      await ctx.testApp.dataSource.query(
        'SELECT mechanic_lat, mechanic_lng, mechanic_location_updated_at FROM bookings WHERE id = $1',
        [bookingId],
      )
    )[0];

  describe('PATCH (the booking’s mechanic, during the appointment)', () => {
    it('stores the full position with the time, and answers {"status":"ok"}', async () => {
      const { mechanic, bookingId } = await confirmedBooking();
      const response = await patch(bookingId, mechanic.token);
      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
      expect(await stored(bookingId)).toEqual({
        mechanic_lat: '43.601230',
        mechanic_lng: '1.449870',
        mechanic_location_updated_at: new Date(NOW),
      });
    });

    it('the window is the slot ± 15 minutes on the Paris wall clock (D3), bounds included', async () => {
      const { mechanic, bookingId } = await confirmedBooking();
      for (const [at, status] of [
        ['2026-03-03T08:44:59Z', 400],
        ['2026-03-03T08:45:00Z', 200],
        ['2026-03-03T09:45:00Z', 200],
        ['2026-03-03T09:45:01Z', 400],
      ] as const) {
        clock.set(at);
        const response = await patch(bookingId, mechanic.token);
        expect({ at, status: response.status }).toEqual({ at, status });
        if (status === 400)
          expect(response.body.detail).toBe('Tracking only available during booking time window');
      }
    });

    it('a booking that lost its slot has no window', async () => {
      const { mechanic, bookingId, slotId } = await confirmedBooking();
      await ctx.testApp.dataSource.query('DELETE FROM availabilities WHERE id = $1', [slotId]);
      clock.set('2026-03-05T12:00:00Z');
      expect((await patch(bookingId, mechanic.token)).status).toBe(200);
    });

    it('400 "Tracking only available for confirmed bookings" in any other state', async () => {
      const { mechanic, bookingId } = await confirmedBooking({
        status: 'pending_acceptance',
        confirmed_at: null,
      });
      expectDomainError(
        await patch(bookingId, mechanic.token),
        400,
        'Tracking only available for confirmed bookings',
        'tracking_unavailable',
      );
      expect((await stored(bookingId)).mechanic_lat).toBeNull();
    });

    it('404 for an unknown booking; 403 "Not authorized" for another mechanic', async () => {
      const { bookingId } = await confirmedBooking();
      const other = await createMechanic(ctx.testApp.dataSource);
      expectDomainError(await patch(UNKNOWN, other.token), 404, 'Booking not found', 'booking_not_found');
      expectDomainError(await patch(bookingId, other.token), 403, 'Not authorized', 'access_denied');
    });

    it('§12.4: the mechanic guard: a buyer, a suspended or a deactivated mechanic get 403', async () => {
      const { buyer, bookingId } = await confirmedBooking();
      expectDomainError(
        await patch(bookingId, buyer.token),
        403,
        'Only mechanics can access this resource',
        'access_denied',
      );
      const suspended = await confirmedBooking({}, { suspendedUntil: new Date('2026-04-01T00:00:00Z') });
      const suspendedResponse = await patch(suspended.bookingId, suspended.mechanic.token);
      expect(suspendedResponse.status).toBe(403);
      expect(suspendedResponse.body.detail).toContain('suspended');
      const inactive = await confirmedBooking({}, { isActive: false });
      expect((await patch(inactive.bookingId, inactive.mechanic.token)).status).toBe(403);
    });

    it.each([{ lat: 91, lng: 1 }, { lat: 43, lng: 181 }, { lat: '43', lng: 1 }, { lng: 1 }])(
      '422 for %j',
      async (body) => {
        const { mechanic, bookingId } = await confirmedBooking();
        const response = await patch(bookingId, mechanic.token, body);
        expect(response.status).toBe(422);
        expect(response.body.detail[0].loc[0]).toBe('body');
      },
    );
  });

  describe('GET (the booking’s buyer or an admin)', () => {
    it('§12.4: the position rounded to 3 decimals (~111 m), with its time', async () => {
      const { buyer, bookingId } = await confirmedBooking({
        mechanic_lat: 43.601234,
        mechanic_lng: -1.449876,
        mechanic_location_updated_at: NOW,
      });
      const admin = await createUser(ctx.testApp.dataSource, { role: 'admin' });
      for (const token of [buyer.token, forgeToken({ sub: admin.id })]) {
        const response = await read(bookingId, token);
        expect({ status: response.status, body: response.body }).toEqual({
          status: 200,
          body: { lat: 43.601, lng: -1.45, updated_at: NOW },
        });
      }
    });

    it('404 "No location available" without a position, and §12.4 once the booking is no longer confirmed', async () => {
      const none = await confirmedBooking();
      expectDomainError(
        await read(none.bookingId, none.buyer.token),
        404,
        'No location available',
        'location_not_available',
      );
      const later = await confirmedBooking({
        status: 'awaiting_mechanic_code',
        mechanic_lat: 43.6,
        mechanic_lng: 1.44,
        mechanic_location_updated_at: NOW,
      });
      expectDomainError(
        await read(later.bookingId, later.buyer.token),
        404,
        'No location available',
        'location_not_available',
      );
    });

    it('404 for an unknown booking; 403 "Not authorized" for the mechanic and another buyer', async () => {
      const { mechanic, bookingId } = await confirmedBooking({ mechanic_lat: 43.6, mechanic_lng: 1.44 });
      const otherBuyer = await createUser(ctx.testApp.dataSource);
      expectDomainError(await read(UNKNOWN, mechanic.token), 404, 'Booking not found', 'booking_not_found');
      for (const token of [mechanic.token, forgeToken({ sub: otherBuyer.id })]) {
        expectDomainError(await read(bookingId, token), 403, 'Not authorized', 'access_denied');
      }
    });
  });
});
