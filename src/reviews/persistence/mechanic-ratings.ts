import { type EntityManager } from 'typeorm';

/**
 * messaging-reports §3.3 "Aggregate maintenance": `rating_avg` (2 decimals) and `total_reviews` of the
 * mechanic whose user is `mechanicUserId`, recomputed from its public reviews in one UPDATE.
 *
 * The profile row is locked first, in its own statement: under READ COMMITTED the UPDATE's subqueries
 * read the snapshot of the statement's start, so two reviews updating at once would each miss the
 * other's row. Taken before the UPDATE starts, the lock makes the second reviewer's UPDATE begin
 * after the first commits, and see both reviews. NO KEY UPDATE leaves bookings' foreign-key checks
 * on the profile unblocked.
 */
export async function refreshMechanicRating(manager: EntityManager, mechanicUserId: string): Promise<void> {
  await manager.query('SELECT 1 FROM mechanic_profiles WHERE user_id = $1 FOR NO KEY UPDATE', [
    mechanicUserId,
  ]);
  await manager.query(
    `UPDATE mechanic_profiles
        SET rating_avg = rated.average, total_reviews = rated.count
       FROM (SELECT coalesce(round(avg(rating), 2), 0) AS average, count(*) AS count
               FROM reviews
              WHERE reviewee_id = $1 AND is_public) rated
      WHERE user_id = $1`,
    [mechanicUserId],
  );
}
