import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { reviewResponse, type ReviewResponse } from '../../http/review.response';
import { ReviewEntity } from '../../persistence/review.entity';
import { ListReviewsQuery } from './list-reviews.query';

/**
 * GET /reviews?mechanic_id= (messaging-reports §2.3): the public reviews of the profile's user,
 * newest first. Reviews written by mechanics about buyers are private and never listed.
 */
@QueryHandler(ListReviewsQuery)
export class ListReviewsHandler implements IQueryHandler<ListReviewsQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ mechanicId, limit, offset }: ListReviewsQuery): Promise<ReviewResponse[]> {
    const profiles: { user_id: string }[] = await this.dataSource.query(
      'SELECT user_id FROM mechanic_profiles WHERE id = $1',
      [mechanicId],
    );
    if (profiles.length === 0) throw new DomainError('mechanic_not_found', 'Mechanic not found');
    const rows = await this.dataSource.getRepository(ReviewEntity).find({
      where: { revieweeId: profiles[0].user_id, isPublic: true },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return rows.map(reviewResponse);
  }
}
