import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** Revoked token ids (identity §1.5). The unique jti index makes revocation race-free. */
@Injectable()
export class TokenBlacklist {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async isRevoked(jti: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM blacklisted_tokens WHERE jti = $1', [jti]);
    return rows.length > 0;
  }

  /**
   * Revokes `jti`; true if this call revoked it, false if it already was. A concurrent revocation of
   * the same jti waits on the unique index and then sees it as already revoked, never an error.
   */
  async revoke(manager: EntityManager, jti: string, expiresAt: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'INSERT INTO blacklisted_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING RETURNING id',
      [jti, expiresAt],
    );
    return rows.length > 0;
  }
}
