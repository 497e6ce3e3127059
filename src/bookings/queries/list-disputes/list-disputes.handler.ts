import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { sanitiseForCsv } from '../../../identity/domain/personal-data';
import { DISPUTE_STATUSES } from '../../persistence/dispute-cases';
import { type DisputeListItem, ListDisputesQuery } from './list-disputes.query';

interface DisputeRow {
  id: string;
  booking_id: string;
  opened_by: string | null;
  opener_email: string | null;
  reason: string;
  description: string;
  status: string;
  created_at: Date;
  resolved_at: Date | null;
  total: string;
}

/**
 * §9.4: the disputes of one status, oldest first, with the opener's e-mail (null once the opener
 * was erased, N16). Photos are not listed (N13.29); the description and e-mail are CSV-sanitised as
 * the later version does for admin lists, since the dashboard exports them.
 */
@QueryHandler(ListDisputesQuery)
export class ListDisputesHandler implements IQueryHandler<ListDisputesQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ status, limit, offset }: ListDisputesQuery) {
    if (!(DISPUTE_STATUSES as readonly string[]).includes(status))
      throw new DomainError('invalid_dispute_status', `Invalid status: ${status}`);
    const rows: DisputeRow[] = await this.dataSource.query(
      `SELECT d.id, d.booking_id, d.opened_by, u.email AS opener_email, d.reason, d.description, d.status,
              d.created_at, d.resolved_at, count(*) OVER () AS total
         FROM dispute_cases d LEFT JOIN users u ON u.id = d.opened_by
        WHERE d.status = $1
        ORDER BY d.created_at, d.id
        LIMIT $2 OFFSET $3`,
      [status, limit, offset],
    );
    const total = rows.length > 0 ? Number(rows[0].total) : await this.count(status);
    return { total, disputes: rows.map(toItem) };
  }

  /** A page past the end has no row to carry the window count. */
  private async count(status: string): Promise<number> {
    const [{ count }]: { count: string }[] = await this.dataSource.query(
      'SELECT count(*) FROM dispute_cases WHERE status = $1',
      [status],
    );
    return Number(count);
  }
}

function toItem(row: DisputeRow): DisputeListItem {
  return {
    id: row.id,
    booking_id: row.booking_id,
    opened_by: row.opened_by,
    opener_email: row.opener_email === null ? null : sanitiseForCsv(row.opener_email),
    reason: row.reason,
    description: sanitiseForCsv(row.description),
    status: row.status,
    created_at: row.created_at.toISOString(),
    resolved_at: row.resolved_at?.toISOString() ?? null,
  };
}
