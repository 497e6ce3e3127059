import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  OwnsPersonalData,
  type PersonalDataOwner,
  sanitiseForCsv,
} from '../../identity/domain/personal-data';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { ReviewEntity } from './review.entity';

/**
 * GDPR for reviews (messaging-reports §3.3 "Account deletion", AUTH-21): the deleted user's reviews
 * lose their comment but keep their rating, so no mechanic's aggregates move; reviews about the user
 * are untouched. The export lists the reviews the user wrote, public and private.
 */
@Injectable()
@OwnsPersonalData()
export class ReviewsPersonalData implements PersonalDataOwner {
  readonly tables = ['reviews'];

  async erase(manager: EntityManager, user: UserEntity): Promise<void> {
    await manager.update(ReviewEntity, { reviewerId: user.id }, { comment: null });
  }

  async export(manager: EntityManager, user: UserEntity, limit: number): Promise<Record<string, unknown>> {
    const rows = await manager.getRepository(ReviewEntity).find({
      where: { reviewerId: user.id },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return {
      reviews: rows.map((row) => ({
        id: row.id,
        booking_id: row.bookingId,
        rating: row.rating,
        comment: sanitiseForCsv(row.comment),
        is_public: row.isPublic,
        created_at: row.createdAt.toISOString(),
      })),
    };
  }
}
