import { type EntityManager } from 'typeorm';
import { type DisputeReason } from '../domain/booking-status';

export interface NewDispute {
  bookingId: string;
  openedBy: string | null;
  reason: DisputeReason;
  description: string;
  createdAt: Date;
}

/** The booking's dispute reason, or null: read under the booking's lock, for the machine's facts. */
export async function disputeReasonOf(
  manager: EntityManager,
  bookingId: string,
): Promise<DisputeReason | null> {
  const rows: { reason: DisputeReason }[] = await manager.query(
    'SELECT reason FROM dispute_cases WHERE booking_id = $1',
    [bookingId],
  );
  return rows[0]?.reason ?? null;
}

/**
 * Opens the booking's dispute (`status` open). The machine refused if one existed (`noDispute`);
 * the UNIQUE index still stands behind it (I-10).
 */
export async function insertDispute(manager: EntityManager, dispute: NewDispute): Promise<void> {
  await manager.query(
    `INSERT INTO dispute_cases (booking_id, opened_by, reason, description, created_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [dispute.bookingId, dispute.openedBy, dispute.reason, dispute.description, dispute.createdAt],
  );
}
