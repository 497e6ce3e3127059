import { createHmac, randomUUID } from 'node:crypto';
import { type BookingStatus } from '../../src/bookings/domain/booking-status';
import { type BookingColumns, createBookingParties, type BookingParties } from '../support/booking-factories';
import { bookingRow, counterValue, insertPaidBooking, moveSlotTo } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { testConfig } from '../support/config';
import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { useStripeTestApp } from '../support/stripe-test-app';

const INCORRECT = ['Incorrect code.', 'check_in_code_incorrect'] as const;
const EXHAUSTED = [
  'Too many failed attempts. Please ask the buyer to generate a new code.',
  'check_in_attempts_exhausted',
] as const;

describe('PATCH /bookings/{id}/check-in and /enter-code (bookings-payments §3.5, §3.6, §12.4)', () => {
  const clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
  const config = testConfig();
  const ctx = useStripeTestApp({ clock });

  beforeEach(() => clock.set('2026-03-02T09:00:00Z'));

  const patch = (path: string, token: string, body: object) =>
    ctx.testApp.http.patch(path).set('X-Forwarded-For', newIp()).set(bearer(token)).send(body);
  const buyerToken = (p: BookingParties) => forgeToken({ sub: p.buyer.id });
  const checkIn = (id: string, token: string, mechanicPresent = true) =>
    patch(`/bookings/${id}/check-in`, token, { mechanic_present: mechanicPresent });
  const enterCode = (id: string, token: string, code: unknown) =>
    patch(`/bookings/${id}/enter-code`, token, { code });
  const row = (id: string) => bookingRow(ctx.testApp.dataSource, id);
  const hmac = (code: string) => createHmac('sha256', config.CHECK_IN_HMAC_KEY).update(code).digest('hex');

  /** `BK(status)` with `slot@now`: the slot starts at the clock's instant. */
  async function bookingAtNow(status: BookingStatus = 'confirmed', columns: BookingColumns = {}) {
    const p = await createBookingParties(ctx.testApp.dataSource);
    await moveSlotTo(ctx.testApp.dataSource, p.slotId, clock.now());
    const { id } = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, p, { status, ...columns });
    return { p, id };
  }

  /** FLOW-01's state: the buyer checked in and holds the code. */
  async function awaitingCode() {
    const { p, id } = await bookingAtNow();
    const response = await checkIn(id, buyerToken(p));
    expect(response.status).toBe(200);
    return { p, id, code: response.body.check_in_code as string };
  }

  /** A 6-digit code other than `code`. */
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  describe('check-in', () => {
    it('FLOW-01 / I-8: a 6-digit code, stored only as its HMAC with CHECK_IN_HMAC_KEY (H-002)', async () => {
      const { p, id } = await bookingAtNow();

      const response = await checkIn(id, buyerToken(p));

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: {
          check_in_code: expect.stringMatching(/^\d{6}$/),
          dispute_opened: false,
          mechanic_nearby_warning: false,
        },
      });
      const code = response.body.check_in_code as string;
      const stored = await row(id);
      expect(stored).toMatchObject({
        status: 'awaiting_mechanic_code',
        check_in_code: hmac(code),
        check_in_code_attempts: 0,
        check_in_code_generated_at: clock.now(),
      });
      expect(stored.check_in_code).not.toContain(code);
      const [transition] = await ctx.testApp.dataSource.query(
        `SELECT from_status, to_status, event FROM booking_transitions WHERE booking_id = $1 AND event = 'check_in'`,
        [id],
      );
      expect(transition).toEqual({
        from_status: 'confirmed',
        to_status: 'awaiting_mechanic_code',
        event: 'check_in',
      });
    });

    it('FLOW-03: another buyer 403; a pending booking 409; an unverified buyer 403', async () => {
      const { id } = await bookingAtNow();
      const other = await createBookingParties(ctx.testApp.dataSource);
      expectDomainError(await checkIn(id, buyerToken(other)), 403, 'Not your booking', 'not_your_booking');

      const pending = await bookingAtNow('pending_acceptance');
      expectDomainError(
        await checkIn(pending.id, buyerToken(pending.p)),
        409,
        "Cannot check in: booking status is 'pending_acceptance'",
        'booking_state_conflict',
      );

      const unverified = await createUser(ctx.testApp.dataSource, { isVerified: false });
      const theirs = await bookingAtNow('confirmed', { buyer_id: unverified.id });
      const response = await checkIn(theirs.id, forgeToken({ sub: unverified.id }));
      expect(response.status).toBe(403);
      expect((await row(theirs.id)).status).toBe('confirmed');
    });

    it('FLOW-04: outside the ±30 min window is 400; the edges are inside', async () => {
      const { p, id } = await bookingAtNow();
      clock.advance(-3 * 3_600_000);
      expectDomainError(
        await checkIn(id, buyerToken(p)),
        400,
        'Check-in only allowed within 30 minutes of the appointment time',
        'check_in_window',
      );
      clock.set(new Date(new Date('2026-03-02T09:00:00Z').getTime() + 30 * 60_000));
      expect((await checkIn(id, buyerToken(p))).status).toBe(200);
    });

    it('FLOW-05: a booking without slot data is 400 "Availability data missing…"', async () => {
      const { p, id } = await bookingAtNow('confirmed', { availability_id: null });
      expectDomainError(
        await checkIn(id, buyerToken(p)),
        400,
        'Availability data missing for this booking',
        'booking_availability_missing',
      );
    });

    it('N13.7: checking in again issues a fresh code; the old one stops working and the attempts restart', async () => {
      const { p, id, code: first } = await awaitingCode();
      expectDomainError(await enterCode(id, p.mechanic.token, wrong(first)), 400, ...INCORRECT);
      clock.advance(5 * 60_000);

      const again = await checkIn(id, buyerToken(p));

      expect(again.status).toBe(200);
      const second = again.body.check_in_code as string;
      expect(await row(id)).toMatchObject({
        status: 'awaiting_mechanic_code',
        check_in_code: hmac(second),
        check_in_code_attempts: 0,
        check_in_code_generated_at: clock.now(),
      });
      if (second !== first)
        expectDomainError(await enterCode(id, p.mechanic.token, first), 400, ...INCORRECT);
      expect((await enterCode(id, p.mechanic.token, second)).body).toEqual({ status: 'checked_in' });
    });

    it('body: mechanic_present is required (422)', async () => {
      const { p, id } = await bookingAtNow();
      expect((await patch(`/bookings/${id}/check-in`, buyerToken(p), {})).status).toBe(422);
      expect((await row(id)).status).toBe('confirmed');
    });
  });

  describe('no-show report', () => {
    const disputes = (id: string) =>
      ctx.testApp.dataSource.query(
        'SELECT reason, description, opened_by, status FROM dispute_cases WHERE booking_id = $1',
        [id],
      );

    it('FLOW-02: a no-show report opens the dispute, notifies the mechanic and counts it', async () => {
      const { p, id } = await bookingAtNow();
      const before = await counterValue('emecano_disputes_opened_total', { reason: 'no_show' });

      const response = await checkIn(id, buyerToken(p), false);

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { check_in_code: null, dispute_opened: true, mechanic_nearby_warning: false },
      });
      expect(await row(id)).toMatchObject({ status: 'disputed', check_in_code: null });
      expect(await disputes(id)).toEqual([
        {
          reason: 'no_show',
          description: 'Mechanic did not show up at the meeting point',
          opened_by: p.buyer.id,
          status: 'open',
        },
      ]);
      expect(
        await ctx.testApp.dataSource.query(
          'SELECT data FROM notifications WHERE user_id = $1 AND type = $2',
          [p.mechanic.id, 'no_show'],
        ),
      ).toEqual([{ data: { type: 'no_show', booking_id: id } }]);
      expect(await counterValue('emecano_disputes_opened_total', { reason: 'no_show' })).toBe(before + 1);
    });

    it('§3.5: the nearby warning is a position within 0.5 km, however old; the dispute opens all the same', async () => {
      // A day-old position about 70 m from the meeting point (43.6045, 1.444), then one about 1 km north.
      const yesterday = new Date('2026-03-01T09:00:00Z');
      const near = await bookingAtNow('confirmed', {
        mechanic_lat: 43.605,
        mechanic_lng: 1.4445,
        mechanic_location_updated_at: yesterday,
      });
      const far = await bookingAtNow('confirmed', {
        mechanic_lat: 43.6135,
        mechanic_lng: 1.444,
        mechanic_location_updated_at: yesterday,
      });
      for (const [{ p, id }, warning] of [
        [near, true],
        [far, false],
      ] as const) {
        const response = await checkIn(id, buyerToken(p), false);
        expect(response.body).toEqual({
          check_in_code: null,
          dispute_opened: true,
          mechanic_nearby_warning: warning,
        });
        expect(await disputes(id)).toHaveLength(1);
      }
    });

    it('FLOW-03 (no-show): only a confirmed booking, within the window, by its buyer', async () => {
      const { p, id } = await awaitingCode();
      expectDomainError(
        await checkIn(id, buyerToken(p), false),
        409,
        "Cannot check in: booking status is 'awaiting_mechanic_code'",
        'booking_state_conflict',
      );
      const other = await createBookingParties(ctx.testApp.dataSource);
      const confirmed = await bookingAtNow();
      expectDomainError(
        await checkIn(confirmed.id, buyerToken(other), false),
        403,
        'Not your booking',
        'not_your_booking',
      );
      clock.advance(31 * 60_000);
      expectDomainError(
        await checkIn(confirmed.id, buyerToken(confirmed.p), false),
        400,
        'Check-in only allowed within 30 minutes of the appointment time',
        'check_in_window',
      );
      expect(await disputes(confirmed.id)).toEqual([]);
      expect((await row(confirmed.id)).status).toBe('confirmed');
    });
  });

  describe('enter-code', () => {
    it('FLOW-06 / I-8: the right code checks in and is cleared (no reuse)', async () => {
      const { p, id, code } = await awaitingCode();
      clock.advance(60_000);

      const response = await enterCode(id, p.mechanic.token, code);

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'checked_in' },
      });
      expect(await row(id)).toMatchObject({
        status: 'check_in_done',
        check_in_at: clock.now(),
        check_in_code: null,
      });
      expectDomainError(
        await enterCode(id, p.mechanic.token, code),
        409,
        "Cannot enter code: booking status is 'check_in_done'",
        'booking_state_conflict',
      );
    });

    it('FLOW-07 / N13.6: a wrong code is 400 and its attempt is committed; the status stays', async () => {
      const { p, id, code } = await awaitingCode();
      expectDomainError(await enterCode(id, p.mechanic.token, wrong(code)), 400, ...INCORRECT);
      expect(await row(id)).toMatchObject({ status: 'awaiting_mechanic_code', check_in_code_attempts: 1 });
    });

    it('I-8: after 5 wrong codes, 429 until a new code, even for the right one', async () => {
      const { p, id, code } = await awaitingCode();
      for (let i = 0; i < 5; i++)
        expectDomainError(await enterCode(id, p.mechanic.token, wrong(code)), 400, ...INCORRECT);
      expectDomainError(await enterCode(id, p.mechanic.token, code), 429, ...EXHAUSTED);
      expect(await row(id)).toMatchObject({ status: 'awaiting_mechanic_code', check_in_code_attempts: 5 });
    });

    it('I-8: a code is accepted up to 15 minutes after issue, then 400 "expired"', async () => {
      const { p, id, code } = await awaitingCode();
      clock.advance(15 * 60_000 + 1);
      expectDomainError(
        await enterCode(id, p.mechanic.token, code),
        400,
        'Code has expired. Please ask the buyer to generate a new code.',
        'check_in_code_expired',
      );
      expect(await row(id)).toMatchObject({ status: 'awaiting_mechanic_code', check_in_code_attempts: 0 });
      clock.advance(-1);
      expect((await enterCode(id, p.mechanic.token, code)).status).toBe(200);
    });

    it('FLOW-08: another mechanic 403; a confirmed booking 409; an unknown booking 404', async () => {
      const { id, code } = await awaitingCode();
      const other = await createBookingParties(ctx.testApp.dataSource);
      expectDomainError(
        await enterCode(id, other.mechanic.token, code),
        403,
        'Not your booking',
        'not_your_booking',
      );
      expect(await row(id)).toMatchObject({ check_in_code_attempts: 0 });

      const confirmed = await bookingAtNow();
      expectDomainError(
        await enterCode(confirmed.id, confirmed.p.mechanic.token, '123456'),
        409,
        "Cannot enter code: booking status is 'confirmed'",
        'booking_state_conflict',
      );
      expectDomainError(
        await enterCode(randomUUID(), confirmed.p.mechanic.token, '123456'),
        404,
        'Booking not found',
        'booking_not_found',
      );
    });

    it('N13.31: the schema takes exactly 6 digits (422 otherwise, no attempt used)', async () => {
      const { p, id } = await awaitingCode();
      for (const code of ['1234', '1234567', '12a456', ' 123456', 123456, null])
        expect((await enterCode(id, p.mechanic.token, code)).status).toBe(422);
      expect(await row(id)).toMatchObject({ check_in_code_attempts: 0 });
    });

    it('a buyer cannot enter the code (403 "Only mechanics…")', async () => {
      const { p, id, code } = await awaitingCode();
      const response = await enterCode(id, buyerToken(p), code);
      expect(response.status).toBe(403);
      expect(response.body.detail).toBe('Only mechanics can access this resource');
    });

    it('I-8 race (×20): 10 concurrent wrong codes count exactly 5 attempts, five 400 then five 429, none lost', async () => {
      for (let round = 0; round < 20; round++) {
        const { p, id, code } = await awaitingCode();
        const responses = await Promise.all(
          Array.from({ length: 10 }, () => enterCode(id, p.mechanic.token, wrong(code))),
        );
        const statuses = responses.map((r) => r.status).sort();
        expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429, 429, 429]);
        expect(await row(id)).toMatchObject({ status: 'awaiting_mechanic_code', check_in_code_attempts: 5 });
      }
    });
  });
});
