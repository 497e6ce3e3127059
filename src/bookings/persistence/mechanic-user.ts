import { type EntityManager } from 'typeorm';

/** The user behind a mechanic profile: the recipient of the mechanic's notifications. */
export async function mechanicUserId(manager: EntityManager, mechanicProfileId: string): Promise<string> {
  const rows: { user_id: string }[] = await manager.query(
    'SELECT user_id FROM mechanic_profiles WHERE id = $1',
    [mechanicProfileId],
  );
  return rows[0].user_id;
}
