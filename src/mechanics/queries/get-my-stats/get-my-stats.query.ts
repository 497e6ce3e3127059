import { Query } from '@nestjs/cqrs';

/** GET /mechanics/me/stats (identity §2.2-17). */
export interface MechanicStatsResponse {
  total_missions: number;
  total_earnings: number;
  this_month_missions: number;
  this_month_earnings: number;
  average_rating: number;
  total_reviews: number;
  acceptance_rate: number;
}

export class GetMyStatsQuery extends Query<MechanicStatsResponse> {
  constructor(readonly mechanicProfileId: string) {
    super();
  }
}
