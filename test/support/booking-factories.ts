import { type DataSource } from 'typeorm';
import { type BookingStatus } from '../../src/bookings/domain/booking-status';
import { createUser, type UserFixture } from './factories';
import { addDays, createMechanic, createSlot, type MechanicFixture } from './mechanic-factories';

/** Column overrides for `insertBooking`, by SQL column name (the acceptance fixtures write SQL too). */
export type BookingColumns = Record<string, unknown> & { status?: BookingStatus };

/**
 * Inserts a booking row with SQL, bypassing the machine (fixtures put bookings in any state). The
 * defaults are a consistent 40.00 booking (§6: commission 8.00, payout 32.00) with a PaymentIntent.
 */
export async function insertBooking(
  dataSource: DataSource,
  buyerId: string,
  mechanicProfileId: string,
  columns: BookingColumns = {},
): Promise<string> {
  const values = bookingValues(buyerId, mechanicProfileId, columns);
  const names = Object.keys(values);
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO bookings (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    Object.values(values),
  );
  return rows[0].id;
}

/** Anything that runs SQL with parameters: a DataSource, an EntityManager, a `pg` client. */
export interface Queryable {
  query(sql: string, parameters: unknown[]): Promise<unknown>;
}

/**
 * `insertBooking` for thousands of rows (multi-process tests, benchmarks): the same defaults, one
 * statement per chunk. Every row must override the same columns.
 */
export async function insertBookings(
  db: Queryable,
  buyerId: string,
  mechanicProfileId: string,
  rows: BookingColumns[],
): Promise<void> {
  const CHUNK = 500;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows
      .slice(start, start + CHUNK)
      .map((row) => bookingValues(buyerId, mechanicProfileId, row));
    const names = Object.keys(chunk[0]);
    const tuples = chunk.map(
      (_, r) => `(${names.map((__, c) => `$${r * names.length + c + 1}`).join(', ')})`,
    );
    await db.query(
      `INSERT INTO bookings (${names.join(', ')}) VALUES ${tuples.join(', ')}`,
      chunk.flatMap((values) => names.map((name) => values[name])),
    );
  }
}

function bookingValues(buyerId: string, mechanicProfileId: string, columns: BookingColumns) {
  return {
    buyer_id: buyerId,
    mechanic_id: mechanicProfileId,
    status: 'pending_acceptance',
    vehicle_type: 'car',
    vehicle_brand: 'Peugeot',
    vehicle_model: '308',
    vehicle_year: 2019,
    meeting_address: '1 place du Capitole, Toulouse',
    meeting_lat: 43.6045,
    meeting_lng: 1.444,
    base_price: '40.00',
    travel_fees: '0.00',
    total_price: '40.00',
    commission_rate: '0.2000',
    commission_amount: '8.00',
    mechanic_payout: '32.00',
    stripe_payment_intent_id: `pi_test_${Math.random().toString(36).slice(2, 14)}`,
    ...columns,
  } as Record<string, unknown>;
}

export interface BookingParties {
  buyer: UserFixture;
  mechanic: MechanicFixture;
  slotId: string;
}

/** A verified buyer, the acceptance mechanic `MP` and one of its slots, booked. */
export async function createBookingParties(
  dataSource: DataSource,
  date = addDays('2026-03-02', 3),
): Promise<BookingParties> {
  const buyer = await createUser(dataSource);
  const mechanic = await createMechanic(dataSource);
  const slotId = await createSlot(dataSource, mechanic.profileId, { date, isBooked: true });
  return { buyer, mechanic, slotId };
}

/** A POST /bookings body for `availabilityId` of the mechanic profile: a 2019 Peugeot 308 met in Toulouse. */
export function bookingRequest(
  mechanicProfileId: string,
  availabilityId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    mechanic_id: mechanicProfileId,
    availability_id: availabilityId,
    vehicle_type: 'car',
    vehicle_brand: 'Peugeot',
    vehicle_model: '308',
    vehicle_year: 2019,
    meeting_address: '2 rue Alsace-Lorraine, Toulouse',
    meeting_lat: 43.61,
    meeting_lng: 1.45,
    ...overrides,
  };
}

/** Gives the mechanic a Connect account (unique per profile), so that it can be booked (§3.1-8). */
export async function attachStripeAccount(
  dataSource: DataSource,
  mechanicProfileId: string,
  accountId = `acct_test_${mechanicProfileId.replace(/-/g, '').slice(0, 16)}`,
): Promise<string> {
  await dataSource.query('UPDATE mechanic_profiles SET stripe_account_id = $2 WHERE id = $1', [
    mechanicProfileId,
    accountId,
  ]);
  return accountId;
}
