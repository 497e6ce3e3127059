import { Query } from '@nestjs/cqrs';

export interface DisputeListItem {
  id: string;
  booking_id: string;
  opened_by: string | null;
  opener_email: string | null;
  reason: string;
  description: string;
  status: string;
  created_at: string;
  resolved_at: string | null;
}

/** GET /admin/disputes (bookings-payments §9.4, identity §2.3-35). */
export class ListDisputesQuery extends Query<{ total: number; disputes: DisputeListItem[] }> {
  constructor(
    readonly status: string,
    readonly limit: number,
    readonly offset: number,
  ) {
    super();
  }
}
