import { type EntityManager } from 'typeorm';

/**
 * The lease of a job's claim: a session that stays idle inside its transaction this long (a frozen
 * process, a lost network) is ended by PostgreSQL, which rolls back and frees the claimed row for
 * another worker. A process that dies frees it at once (its connection closes). Longer than the
 * gateway's worst case between two statements: two Stripe calls of 15 s, each retried twice.
 */
const CLAIM_LEASE_MS = 120_000;

/** Sets the claim's lease for the rest of the caller's transaction. */
export async function holdClaimLease(manager: EntityManager): Promise<void> {
  await manager.query("SELECT set_config('idle_in_transaction_session_timeout', $1, true)", [
    `${CLAIM_LEASE_MS}ms`,
  ]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An operator's `--booking` that is not a UUID names no booking (and must not become an SQL error). */
export function isBookingId(value: string): boolean {
  return UUID.test(value);
}
