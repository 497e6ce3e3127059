import { type EntityManager } from 'typeorm';
import { entityFromRow } from '../../database/entity-rows';
import { BookingEntity } from '../persistence/booking.entity';

/**
 * The lease of a job's claim: a session that stays idle inside its transaction this long (a frozen
 * process, a lost network) is ended by PostgreSQL, which rolls back and frees the claimed row for
 * another worker. A process that dies frees it at once (its connection closes). Longer than the
 * gateway's worst case between two statements: two Stripe calls of 15 s, each retried twice.
 */
const CLAIM_LEASE_MS = 120_000;

/** Which booking a job claims: a condition on `bookings` (and its order) with its parameters. */
export interface BookingClaim {
  where: string;
  orderBy?: string;
  parameters: unknown[];
}

/**
 * Claims one booking for the rest of the caller's transaction, in one round trip: the first row
 * matching `claim`, locked `FOR UPDATE SKIP LOCKED` (rows other lanes or processes hold are passed
 * over, never waited for; PostgreSQL re-checks the condition on the locked row), with the claim's
 * lease set by the same statement. Null when there is none to take.
 */
export async function claimBooking(
  manager: EntityManager,
  claim: BookingClaim,
): Promise<BookingEntity | null> {
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT set_config('idle_in_transaction_session_timeout', '${CLAIM_LEASE_MS}ms', true) AS lease, *
       FROM bookings WHERE ${claim.where}
      ${claim.orderBy ? `ORDER BY ${claim.orderBy}` : ''}
      LIMIT 1 FOR UPDATE SKIP LOCKED`,
    claim.parameters,
  );
  return rows.length === 0 ? null : entityFromRow(manager, BookingEntity, rows[0]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An operator's `--booking` that is not a UUID names no booking (and must not become an SQL error). */
export function isBookingId(value: string): boolean {
  return UUID.test(value);
}
