import { type DataSource, type EntityManager } from 'typeorm';
import {
  type BookingActor,
  type BookingEvent,
  type BookingFacts,
  DEFAULT_BOOKING_RULES,
} from '../../src/bookings/domain/booking-events';
import { refusalError } from '../../src/bookings/domain/booking-refusals';
import { BOOKING_MACHINE_VERSION, decide } from '../../src/bookings/domain/booking.machine';
import { type BookingEntity } from '../../src/bookings/persistence/booking.entity';
import { lockBooking, recordCreation, recordTransition } from '../../src/bookings/persistence/booking.locks';
import { DomainError } from '../../src/common/errors/domain-error';
import { inTransaction } from '../../src/database/transactions';
import { createBookingParties, insertBooking, type BookingParties } from '../support/booking-factories';
import { useTestDataSource } from '../support/test-app-context';

const AT = new Date('2026-03-02T09:00:00.000Z');

function factsOf(booking: BookingEntity, mechanicUserId: string): BookingFacts {
  return {
    buyerId: booking.buyerId,
    mechanicUserId,
    mechanicProfileId: booking.mechanicId,
    totalPrice: booking.totalPrice,
    hasPaymentIntent: booking.stripePaymentIntentId !== null,
    paymentAuthorized: true,
    msUntilSlotStart: 72 * 3_600_000,
    msSinceCreated: 3 * 3_600_000,
    msSinceCodeIssued: null,
    checkInCodeAttempts: booking.checkInCodeAttempts,
    hasDispute: false,
    disputeReason: null,
    rules: DEFAULT_BOOKING_RULES,
  };
}

/** What a command handler does: lock, decide on the locked row, record (effects left out). */
async function command(
  dataSource: DataSource,
  parties: BookingParties,
  bookingId: string,
  event: BookingEvent,
): Promise<BookingEntity> {
  return inTransaction(dataSource, async (manager) => {
    const booking = await lockBooking(manager, bookingId);
    const decision = decide(booking.status, factsOf(booking, parties.mechanic.id), event);
    if (!decision.ok) throw refusalError(decision);
    return recordTransition(manager, booking, decision, event.actor, { at: AT });
  });
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe('booking locks and the single writer of bookings.status (§2.4, H-006/H-007, I-2)', () => {
  const ctx = useTestDataSource();
  let parties: BookingParties;
  let buyer: BookingActor;
  let mechanic: BookingActor;

  beforeAll(async () => {
    parties = await createBookingParties(ctx.dataSource);
    buyer = { role: 'buyer', userId: parties.buyer.id, emailVerified: true };
    mechanic = { role: 'mechanic', userId: parties.mechanic.id, profileId: parties.mechanic.profileId };
  });

  const newBooking = (columns: Record<string, unknown> = {}) =>
    insertBooking(ctx.dataSource, parties.buyer.id, parties.mechanic.profileId, columns);

  const transitions = (bookingId: string): Promise<Record<string, unknown>[]> =>
    ctx.dataSource.query(
      `SELECT from_status, to_status, event, actor_role, actor_id, machine_version, at
         FROM booking_transitions WHERE booking_id = $1 ORDER BY id`,
      [bookingId],
    );

  /** The mechanic's accept, in a transaction that holds the booking's row lock until `release()`. */
  async function acceptHoldingTheLock(bookingId: string) {
    const holding = gate();
    const locked = gate();
    const accepted = inTransaction(ctx.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      locked.open();
      await holding.opened;
      const decision = decide(booking.status, factsOf(booking, parties.mechanic.id), {
        type: 'accept',
        actor: mechanic,
      });
      if (!decision.ok) throw refusalError(decision);
      await recordTransition(manager, booking, decision, mechanic, { at: AT });
    });
    await locked.opened;
    return { release: holding.open, accepted };
  }

  it('H-006: two transactions locking the same booking serialise; the second decides on the committed state', async () => {
    const bookingId = await newBooking();
    const first = await acceptHoldingTheLock(bookingId);
    let secondLocked = false;
    const second = settle(
      inTransaction(ctx.dataSource, async (manager) => {
        const booking = await lockBooking(manager, bookingId);
        secondLocked = true;
        return booking.status;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondLocked).toBe(false);

    first.release();
    await first.accepted;
    expect(await second).toEqual({ ok: true, value: 'confirmed' });
  });

  it('H-007: a lock held past the timeout gives 409 booking_busy, never a 500, and the holder still commits', async () => {
    const bookingId = await newBooking();
    const holder = await acceptHoldingTheLock(bookingId);

    const waiter = await settle(
      inTransaction(ctx.dataSource, (manager) => lockBooking(manager, bookingId, 150)),
    );
    expect(waiter.ok).toBe(false);
    const error = (waiter as { error: unknown }).error;
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'booking_busy', status: 409 });

    holder.release();
    await holder.accepted;
    expect(await transitions(bookingId)).toHaveLength(1);
  });

  it('an unknown booking is a 404 "Booking not found"', async () => {
    await expect(
      inTransaction(ctx.dataSource, (manager) =>
        lockBooking(manager, '00000000-0000-4000-8000-000000000000'),
      ),
    ).rejects.toMatchObject({ code: 'booking_not_found', status: 404, detail: 'Booking not found' });
  });

  it('recordTransition writes the status, the decided columns and the transition row together', async () => {
    const bookingId = await newBooking({
      status: 'confirmed',
      mechanic_lat: 43.6,
      mechanic_lng: 1.44,
      mechanic_location_updated_at: AT,
    });
    await command(ctx.dataSource, parties, bookingId, { type: 'cancel', actor: buyer });

    const [row] = await ctx.dataSource.query(
      `SELECT status, cancelled_by, refund_percentage, refund_amount, cancelled_at, updated_at, mechanic_lat,
              mechanic_location_updated_at
         FROM bookings WHERE id = $1`,
      [bookingId],
    );
    expect(row).toEqual({
      status: 'cancelled',
      cancelled_by: 'buyer',
      refund_percentage: 100,
      refund_amount: '40.00',
      cancelled_at: AT,
      updated_at: AT,
      mechanic_lat: null,
      mechanic_location_updated_at: null,
    });
    expect(await transitions(bookingId)).toEqual([
      {
        from_status: 'confirmed',
        to_status: 'cancelled',
        event: 'cancel',
        actor_role: 'buyer',
        actor_id: parties.buyer.id,
        machine_version: BOOKING_MACHINE_VERSION,
        at: AT,
      },
    ]);
  });

  it('a transaction that rolls back after recordTransition leaves neither the status nor the history', async () => {
    const bookingId = await newBooking();
    await expect(
      inTransaction(ctx.dataSource, async (manager: EntityManager) => {
        const booking = await lockBooking(manager, bookingId);
        const decision = decide(booking.status, factsOf(booking, parties.mechanic.id), {
          type: 'accept',
          actor: mechanic,
        });
        if (!decision.ok) throw refusalError(decision);
        await recordTransition(manager, booking, decision, mechanic, { at: AT });
        throw new Error('Stripe failed after the decision');
      }),
    ).rejects.toThrow('Stripe failed');
    expect(await ctx.dataSource.query('SELECT status FROM bookings WHERE id = $1', [bookingId])).toEqual([
      { status: 'pending_acceptance' },
    ]);
    expect(await transitions(bookingId)).toEqual([]);
  });

  it('recordCreation inserts the booking in pending_acceptance with a first transition from nothing', async () => {
    const slotId = await ctx.dataSource
      .query(
        `INSERT INTO availabilities (mechanic_id, date, start_time, end_time, is_booked)
         VALUES ($1, '2026-03-09', '14:00', '14:30', true) RETURNING id`,
        [parties.mechanic.profileId],
      )
      .then((rows: { id: string }[]) => rows[0].id);
    const create: BookingEvent = { type: 'create', actor: buyer };
    const facts = {
      ...factsOf(
        {
          buyerId: parties.buyer.id,
          mechanicId: parties.mechanic.profileId,
          totalPrice: '40.00',
          stripePaymentIntentId: 'pi_x',
          checkInCodeAttempts: 0,
        } as BookingEntity,
        parties.mechanic.id,
      ),
    };
    const decision = decide(null, facts, create);
    if (!decision.ok) throw refusalError(decision);

    const booking = await inTransaction(ctx.dataSource, (manager) =>
      recordCreation(
        manager,
        {
          buyerId: parties.buyer.id,
          mechanicId: parties.mechanic.profileId,
          availabilityId: slotId,
          vehicleType: 'car',
          vehicleBrand: 'Renault',
          vehicleModel: 'Clio',
          vehicleYear: 2020,
          vehiclePlate: null,
          meetingAddress: 'Toulouse',
          meetingLat: 43.6,
          meetingLng: 1.44,
          distanceKm: 0.74,
          obdRequested: false,
          basePrice: '40.00',
          travelFees: '0.00',
          totalPrice: '40.00',
          commissionRate: '0.2000',
          commissionAmount: '8.00',
          mechanicPayout: '32.00',
          stripePaymentIntentId: `pi_created_${slotId}`,
        },
        decision,
        buyer,
        { at: AT },
      ),
    );
    expect(booking.id).toEqual(expect.any(String));
    expect(
      await ctx.dataSource.query('SELECT status, created_at FROM bookings WHERE id = $1', [booking.id]),
    ).toEqual([{ status: 'pending_acceptance', created_at: AT }]);
    expect(await transitions(booking.id)).toEqual([
      expect.objectContaining({
        from_status: null,
        to_status: 'pending_acceptance',
        event: 'create',
        actor_role: 'buyer',
      }),
    ]);
  });

  it('I-2: accept ∥ refuse ∥ the expiry job on one pending booking: exactly one wins, the others get 409 (×20)', async () => {
    for (let round = 0; round < 20; round++) {
      const bookingId = await newBooking();
      const results = await Promise.all(
        [
          { type: 'accept', actor: mechanic },
          { type: 'refuse', actor: mechanic, reason: 'too_far', proposedTime: null },
          { type: 'expire_pending', actor: { role: 'system' } },
        ].map((event) => settle(command(ctx.dataSource, parties, bookingId, event as BookingEvent))),
      );
      const winners = results.filter((result) => result.ok);
      const losers = results
        .filter((result) => !result.ok)
        .map((result) => (result as { error: unknown }).error);
      expect(winners).toHaveLength(1);
      expect(losers).toEqual([
        expect.objectContaining({ code: 'booking_state_conflict', status: 409 }),
        expect.objectContaining({ code: 'booking_state_conflict', status: 409 }),
      ]);
      expect(await transitions(bookingId)).toHaveLength(1);
    }
  });

  it('booking_transitions is append-only: UPDATE and DELETE are refused', async () => {
    const bookingId = await newBooking();
    await command(ctx.dataSource, parties, bookingId, { type: 'accept', actor: mechanic });
    await expect(
      ctx.dataSource.query("UPDATE booking_transitions SET event = 'forged' WHERE booking_id = $1", [
        bookingId,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      ctx.dataSource.query('DELETE FROM booking_transitions WHERE booking_id = $1', [bookingId]),
    ).rejects.toThrow(/append-only/);
  });
});
