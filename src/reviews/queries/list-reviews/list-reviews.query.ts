import { Query } from '@nestjs/cqrs';
import { type ReviewResponse } from '../../http/review.response';

export class ListReviewsQuery extends Query<ReviewResponse[]> {
  constructor(
    /** The mechanic **profile** id. */
    readonly mechanicId: string,
    readonly limit: number,
    readonly offset: number,
  ) {
    super();
  }
}
