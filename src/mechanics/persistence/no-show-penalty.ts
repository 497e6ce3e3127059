import { type EntityManager } from 'typeorm';

/** §0.9: a second no-show suspends the mechanic for 30 days. */
const SUSPENSION_MS = 30 * 24 * 3_600_000;

export type NoShowConsequence = 'warning' | 'suspended' | 'deactivated';

export interface NoShowPenalty {
  /** The count after this no-show. */
  noShowCount: number;
  consequence: NoShowConsequence;
}

/**
 * §8.1 [C-006], I-7: the counter moves in one UPDATE (never read-modify-write), so concurrent
 * resolutions each add exactly one: PostgreSQL re-reads the row a concurrent UPDATE committed. The
 * ladder is applied on the value that statement returned, in the caller's transaction.
 */
export async function applyNoShowPenalty(
  manager: EntityManager,
  mechanicProfileId: string,
  at: Date,
): Promise<NoShowPenalty> {
  const [[row]]: [{ no_show_count: number }[], number] = await manager.query(
    `UPDATE mechanic_profiles SET no_show_count = no_show_count + 1, last_no_show_at = $2
      WHERE id = $1 RETURNING no_show_count`,
    [mechanicProfileId, at],
  );
  const noShowCount = row.no_show_count;
  if (noShowCount === 2) {
    await manager.query('UPDATE mechanic_profiles SET suspended_until = $2 WHERE id = $1', [
      mechanicProfileId,
      new Date(at.getTime() + SUSPENSION_MS),
    ]);
    return { noShowCount, consequence: 'suspended' };
  }
  if (noShowCount >= 3) {
    await manager.query('UPDATE mechanic_profiles SET is_active = false WHERE id = $1', [mechanicProfileId]);
    return { noShowCount, consequence: 'deactivated' };
  }
  return { noShowCount, consequence: 'warning' };
}
