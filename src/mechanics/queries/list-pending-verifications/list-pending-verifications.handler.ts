import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Storage } from '../../../storage/storage';
import {
  ListPendingVerificationsQuery,
  type PendingVerificationPage,
} from './list-pending-verifications.query';

/** Papers uploaded, no verdict yet (a rejection keeps them pending until new papers replace them). */
const PENDING = 'm.identity_document_url IS NOT NULL AND NOT m.is_identity_verified';

interface PendingRow {
  id: string;
  user_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  city: string;
  identity_document_url: string | null;
  selfie_with_id_url: string | null;
  cv_url: string | null;
  created_at: Date;
  total: number;
}

/**
 * GET /admin/mechanics/pending-verification (identity §2.3-32): profiles with identity papers
 * waiting for a verdict, oldest first. The papers are private: admins get short-lived links
 * (S3 pre-signed for 900 s, or the authenticated local file route), signed in parallel.
 */
@QueryHandler(ListPendingVerificationsQuery)
export class ListPendingVerificationsHandler implements IQueryHandler<ListPendingVerificationsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: Storage,
  ) {}

  async execute({ limit, offset }: ListPendingVerificationsQuery): Promise<PendingVerificationPage> {
    const rows: PendingRow[] = await this.dataSource.query(
      `SELECT m.id, m.user_id, u.email, u.first_name, u.last_name, m.city, m.identity_document_url,
              m.selfie_with_id_url, m.cv_url, m.created_at, count(*) OVER ()::int AS total
         FROM mechanic_profiles m
         JOIN users u ON u.id = m.user_id
        WHERE ${PENDING}
        ORDER BY m.created_at, m.id
        LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const total = rows[0]?.total ?? (await this.countPending());
    const mechanics = await Promise.all(
      rows.map(async ({ total: _total, created_at, ...row }) => ({
        ...row,
        identity_document_url: await this.storage.temporaryUrl(row.identity_document_url),
        selfie_with_id_url: await this.storage.temporaryUrl(row.selfie_with_id_url),
        cv_url: await this.storage.temporaryUrl(row.cv_url),
        // Hand-built admin responses use +00:00 (identity §0).
        created_at: created_at.toISOString().replace('Z', '+00:00'),
      })),
    );
    return { total, mechanics };
  }

  /** A page past the end has no row to carry the window count. */
  private async countPending(): Promise<number> {
    const [{ n }]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM mechanic_profiles m WHERE ${PENDING}`,
    );
    return n;
  }
}
