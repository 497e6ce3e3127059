import { type EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { PG_ERROR, pgErrorCode } from '../../database/pg-errors';
import { type DisputeReason } from '../domain/booking-status';
import { BOOKING_LOCK_TIMEOUT_MS } from './booking.locks';

export const DISPUTE_STATUSES = ['open', 'resolved_buyer', 'resolved_mechanic', 'closed'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export interface NewDispute {
  bookingId: string;
  openedBy: string | null;
  reason: DisputeReason;
  description: string;
  photoUrls: readonly string[] | null;
  createdAt: Date;
}

export interface LockedDispute {
  id: string;
  bookingId: string;
  status: DisputeStatus;
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
    `INSERT INTO dispute_cases (booking_id, opened_by, reason, description, photo_urls, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      dispute.bookingId,
      dispute.openedBy,
      dispute.reason,
      dispute.description,
      dispute.photoUrls === null ? null : JSON.stringify(dispute.photoUrls),
      dispute.createdAt,
    ],
  );
}

/**
 * §9.3 step 1 (§2.4: the dispute first, then the booking): the row `FOR UPDATE` with the bookings'
 * lock timeout, so a second resolution waits for the first and then finds it resolved (I-10).
 */
export async function lockDispute(manager: EntityManager, disputeId: string): Promise<LockedDispute> {
  await manager.query("SELECT set_config('lock_timeout', $1, true)", [`${BOOKING_LOCK_TIMEOUT_MS}ms`]);
  let rows: { id: string; booking_id: string; status: DisputeStatus }[];
  try {
    rows = await manager.query('SELECT id, booking_id, status FROM dispute_cases WHERE id = $1 FOR UPDATE', [
      disputeId,
    ]);
  } catch (error) {
    if (pgErrorCode(error) === PG_ERROR.lockNotAvailable)
      throw new DomainError(
        'dispute_busy',
        'This dispute is being resolved by another request. Please try again.',
      );
    throw error;
  }
  if (rows.length === 0) throw new DomainError('dispute_not_found', 'Dispute not found');
  if (rows[0].status !== 'open')
    throw new DomainError('dispute_already_resolved', 'Dispute is already resolved');
  return { id: rows[0].id, bookingId: rows[0].booking_id, status: rows[0].status };
}

/** §9.3 step 6: the verdict on the dispute locked by lockDispute. */
export async function recordResolution(
  manager: EntityManager,
  resolution: { disputeId: string; status: DisputeStatus; adminId: string; notes: string; at: Date },
): Promise<void> {
  await manager.query(
    `UPDATE dispute_cases SET status = $2, resolved_at = $3, resolved_by_admin = $4, resolution_notes = $5
      WHERE id = $1 AND status = 'open'`,
    [resolution.disputeId, resolution.status, resolution.at, resolution.adminId, resolution.notes],
  );
}

/**
 * §12.5: Stripe settled the chargeback, so the booking's dispute, if still open, is closed with
 * Stripe's outcome. Returns whether one was. A resolution in progress holds the row: this waits
 * for it and then finds the dispute resolved.
 */
export async function closeStripeDispute(
  manager: EntityManager,
  closing: { bookingId: string; note: string; at: Date },
): Promise<boolean> {
  const [, closed]: [unknown[], number] = await manager.query(
    `UPDATE dispute_cases SET status = 'closed', resolution_notes = $2, resolved_at = $3
      WHERE booking_id = $1 AND status = 'open'`,
    [closing.bookingId, closing.note, closing.at],
  );
  return closed === 1;
}
