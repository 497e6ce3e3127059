import { type ReviewEntity } from '../persistence/review.entity';

/**
 * ReviewResponse of messaging-reports §2.3. `reviewer_id` is nullable: an erased author's reviews
 * stay, and the original's non-null schema failed to serialise them (§9.13).
 */
export interface ReviewResponse {
  id: string;
  booking_id: string;
  reviewer_id: string | null;
  reviewee_id: string;
  rating: number;
  comment: string | null;
  is_public: boolean;
  created_at: string;
}

export function reviewResponse(row: ReviewEntity): ReviewResponse {
  return {
    id: row.id,
    booking_id: row.bookingId,
    reviewer_id: row.reviewerId,
    reviewee_id: row.revieweeId,
    rating: row.rating,
    comment: row.comment,
    is_public: row.isPublic,
    created_at: row.createdAt.toISOString(),
  };
}
