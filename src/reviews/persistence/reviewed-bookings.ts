import { type EntityManager } from 'typeorm';
import { type ReviewedBooking } from '../domain/review-parties';

/**
 * The booking and its mechanic's user, in one statement. Plain SQL rather than the bookings module's
 * entities, whose persistence is its own. No lock: `completed` is terminal, so the status read here
 * cannot change under the review, and the unique constraint settles concurrent reviews.
 */
export async function findReviewedBooking(
  manager: EntityManager,
  bookingId: string,
): Promise<ReviewedBooking | null> {
  const rows: { status: string; buyer_id: string; mechanic_user_id: string }[] = await manager.query(
    `SELECT b.status, b.buyer_id, p.user_id AS mechanic_user_id
       FROM bookings b
       JOIN mechanic_profiles p ON p.id = b.mechanic_id
      WHERE b.id = $1`,
    [bookingId],
  );
  if (rows.length === 0) return null;
  const [row] = rows;
  return { status: row.status, buyerId: row.buyer_id, mechanicUserId: row.mechanic_user_id };
}
