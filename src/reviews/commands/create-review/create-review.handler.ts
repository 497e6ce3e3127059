import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { reviewTarget, type ReviewTarget } from '../../domain/review-parties';
import { type CreateReviewRequest } from '../../http/review.requests';
import { type ReviewResponse } from '../../http/review.response';
import { refreshMechanicRating } from '../../persistence/mechanic-ratings';
import { findReviewedBooking } from '../../persistence/reviewed-bookings';
import { CreateReviewCommand } from './create-review.command';

/**
 * POST /reviews (messaging-reports §2.3, §3.3): the review and, when public, the mechanic's new
 * aggregates in one transaction. Check 3 ("already reviewed") is the insert itself: ON CONFLICT DO
 * NOTHING on uq_review_booking_reviewer answers a second review, sequential or concurrent, with the
 * same 409 and never a 500. Doing it after the participant check changes nothing a caller can see,
 * as only a participant can have reviewed.
 */
@CommandHandler(CreateReviewCommand)
export class CreateReviewHandler implements ICommandHandler<CreateReviewCommand> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  execute({ reviewer, request }: CreateReviewCommand): Promise<ReviewResponse> {
    return inTransaction(this.dataSource, async (manager) => {
      const booking = await findReviewedBooking(manager, request.booking_id);
      if (!booking) throw new DomainError('booking_not_found', 'Booking not found');
      const target = reviewTarget(booking, reviewer);
      const review = await insertOnce(manager, reviewer.id, target, request);
      if (!review) throw new DomainError('already_reviewed', 'Already reviewed this booking');
      if (target.isPublic) await refreshMechanicRating(manager, target.revieweeId);
      return review;
    });
  }
}

/** The new review, or null when this reviewer has already reviewed the booking. */
async function insertOnce(
  manager: EntityManager,
  reviewerId: string,
  target: ReviewTarget,
  request: CreateReviewRequest,
): Promise<ReviewResponse | null> {
  const comment = request.comment ?? null;
  const rows: { id: string; created_at: Date }[] = await manager.query(
    `INSERT INTO reviews (booking_id, reviewer_id, reviewee_id, rating, comment, is_public)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT ON CONSTRAINT uq_review_booking_reviewer DO NOTHING
     RETURNING id, created_at`,
    [request.booking_id, reviewerId, target.revieweeId, request.rating, comment, target.isPublic],
  );
  if (rows.length === 0) return null;
  return {
    id: rows[0].id,
    booking_id: request.booking_id,
    reviewer_id: reviewerId,
    reviewee_id: target.revieweeId,
    rating: request.rating,
    comment,
    is_public: target.isPublic,
    created_at: rows[0].created_at.toISOString(),
  };
}
