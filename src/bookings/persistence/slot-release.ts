import { type EntityManager } from 'typeorm';

/**
 * §5.4 with HEAD R-01 (I-16): a cancelled booking gives its slot back, unless another live booking
 * holds it. The slot row is locked first (the booking row is already locked: booking, then slot,
 * while creation takes the slot with NOWAIT, so the two never wait on each other in a cycle), and
 * the check for other bookings runs after the lock, on what has committed by then.
 * Buffer trims and splits are not undone (§5.4, N13.33).
 */
export async function releaseSlot(
  manager: EntityManager,
  booking: { id: string; availabilityId: string | null },
): Promise<boolean> {
  if (booking.availabilityId === null) return false;
  const slot: unknown[] = await manager.query('SELECT id FROM availabilities WHERE id = $1 FOR UPDATE', [
    booking.availabilityId,
  ]);
  if (slot.length === 0) return false;
  const result: [unknown[], number] = await manager.query(
    `UPDATE availabilities SET is_booked = false
      WHERE id = $1
        AND NOT EXISTS (SELECT 1 FROM bookings
                         WHERE availability_id = $1 AND id <> $2 AND status <> 'cancelled')`,
    [booking.availabilityId, booking.id],
  );
  return result[1] === 1;
}
