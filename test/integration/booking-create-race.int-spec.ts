import { attachStripeAccount, bookingRequest } from '../support/booking-factories';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { newIp } from '../support/http';
import { addDays, createMechanic, createSlot, type MechanicFixture } from '../support/mechanic-factories';
import { useStripeTestApp } from '../support/stripe-test-app';

const NOW = '2026-03-02T09:00:00.000Z';
const BUYERS = 50;
const ROUNDS = 20;

/** I-1 under real concurrency: many connections, one slot, the window's row lock deciding. */
describe('booking creation races (I-1, H-006/H-007)', () => {
  const ctx = useStripeTestApp({ clock: new FixedClock(new Date(NOW)) });
  let tokens: string[];
  let mechanic: MechanicFixture;

  beforeAll(async () => {
    tokens = [];
    for (let i = 0; i < BUYERS; i++)
      tokens.push(forgeToken({ sub: (await createUser(ctx.testApp.dataSource)).id }));
    mechanic = await createMechanic(ctx.testApp.dataSource);
    ctx.fake.objects.putAccount(await attachStripeAccount(ctx.testApp.dataSource, mechanic.profileId));
  }, 60_000);

  const book = (token: string, body: Record<string, unknown>) =>
    ctx.testApp.http.post('/bookings').set('X-Forwarded-For', newIp()).set(bearer(token)).send(body);

  it(`I-1: ${BUYERS} buyers booking one slot at once → exactly one 201, every other one a 409 (×${ROUNDS})`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      ctx.fake.reset();
      // One slot per round, each on its own day (within the 6-day limit) and hour.
      const slotId = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
        date: addDays('2026-03-03', round % 5),
        start: `${String(8 + Math.floor(round / 5) * 2).padStart(2, '0')}:00:00`,
        end: `${String(8 + Math.floor(round / 5) * 2).padStart(2, '0')}:30:00`,
      });
      const body = bookingRequest(mechanic.profileId, slotId);

      const responses = await Promise.all(tokens.map((token) => book(token, body)));

      const statuses = responses.map((response) => response.status).sort();
      expect({ round, statuses }).toEqual({ round, statuses: [201, ...Array(BUYERS - 1).fill(409)] });
      for (const lost of responses.filter((response) => response.status === 409)) {
        expect(['slot_being_booked', 'slot_booked']).toContain(lost.body.code);
      }
      const rows: { status: string; stripe_payment_intent_id: string }[] = await ctx.testApp.dataSource.query(
        'SELECT status, stripe_payment_intent_id FROM bookings WHERE availability_id = $1',
        [slotId],
      );
      expect(rows).toHaveLength(1);
      // The losers never reached Stripe: one PaymentIntent, the winner's.
      const created = ctx.fake.calls(/^POST \/v1\/payment_intents$/);
      expect(created).toHaveLength(1);
      expect(rows[0].stripe_payment_intent_id).toMatch(/^pi_/);
      const [slot] = await ctx.testApp.dataSource.query(
        'SELECT is_booked FROM availabilities WHERE id = $1',
        [slotId],
      );
      expect(slot.is_booked).toBe(true);
    }
  }, 300_000);

  it(`I-1: ${BUYERS} buyers booking one sub-slot of a window at once → one 201, no double booking (×${ROUNDS})`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const date = addDays('2026-03-03', round % 5);
      const hour = String(9 + Math.floor(round / 5) * 2).padStart(2, '0');
      const windowId = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
        date,
        start: `${hour}:00:00`,
        end: `${hour}:59:00`,
      });
      const body = bookingRequest(mechanic.profileId, windowId, { slot_start_time: `${hour}:15` });

      const responses = await Promise.all(tokens.map((token) => book(token, body)));

      expect({ round, created: responses.filter((response) => response.status === 201).length }).toEqual({
        round,
        created: 1,
      });
      // Losers met the lock (409), or came after the commit, when the split had removed the window (404).
      for (const lost of responses.filter((response) => response.status !== 201)) {
        expect(['slot_being_booked', 'availability_not_found']).toContain(lost.body.code);
      }
      const booked: { count: number }[] = await ctx.testApp.dataSource.query(
        `SELECT count(*)::int AS count FROM bookings b JOIN availabilities a ON a.id = b.availability_id
          WHERE a.mechanic_id = $1 AND a.date = $2 AND a.start_time = $3`,
        [mechanic.profileId, date, `${hour}:15:00`],
      );
      expect(booked[0].count).toBe(1);
    }
  }, 300_000);

  it(`two buyers booking neighbouring slots at once: never a wait, a deadlock or a 500 (×${ROUNDS})`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const date = addDays('2026-03-03', round % 5);
      const hour = String(17 + Math.floor(round / 5)).padStart(2, '0');
      const first = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
        date,
        start: `${hour}:00:00`,
        end: `${hour}:30:00`,
      });
      // Inside the first one's buffer: whoever commits first trims it to :45, or skips it while the
      // other booking holds it (SKIP LOCKED); the window lock is NOWAIT, so nobody ever waits.
      const second = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
        date,
        start: `${hour}:30:00`,
        end: `${hour}:59:00`,
      });
      const started = Date.now();
      const responses = await Promise.all([
        book(tokens[0], bookingRequest(mechanic.profileId, first)),
        book(tokens[1], bookingRequest(mechanic.profileId, second)),
      ]);
      expect(Date.now() - started).toBeLessThan(2_000);
      const outcomes = responses.map((response) => (response.status === 201 ? 201 : response.body.code));
      expect(outcomes).toContain(201);
      for (const outcome of outcomes) expect([201, 'slot_being_booked', 'slot_booked']).toContain(outcome);
    }
  }, 120_000);
});
