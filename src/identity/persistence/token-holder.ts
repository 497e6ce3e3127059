import { type EntityManager } from 'typeorm';
import { entityFromRow } from '../../database/entity-rows';
import { UserEntity } from './user.entity';

export interface TokenHolder {
  /** The token's jti is on the blacklist (identity §1.5). */
  revoked: boolean;
  /** The token's subject, or null when no user has that id. */
  user: UserEntity | null;
}

/**
 * What the user guard needs of an access token, in one round trip as every authenticated request
 * pays it: whether its jti was revoked, and the user it names. `userId` null (a subject that is not
 * a UUID) names nobody.
 */
export async function tokenHolder(
  manager: EntityManager,
  jti: string,
  userId: string | null,
): Promise<TokenHolder> {
  const [row]: Record<string, unknown>[] = await manager.query(
    `SELECT EXISTS (SELECT 1 FROM blacklisted_tokens WHERE jti = $1) AS token_revoked, u.*
       FROM (VALUES (1)) AS one LEFT JOIN users u ON u.id = $2::uuid`,
    [jti, userId],
  );
  return {
    revoked: row.token_revoked === true,
    user: row.id === null ? null : entityFromRow(manager, UserEntity, row),
  };
}
