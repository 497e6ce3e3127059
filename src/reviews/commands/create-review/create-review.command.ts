import { Command } from '@nestjs/cqrs';
import { type UserRole } from '../../../identity/persistence/user.entity';
import { type CreateReviewRequest } from '../../http/review.requests';
import { type ReviewResponse } from '../../http/review.response';

export class CreateReviewCommand extends Command<ReviewResponse> {
  constructor(
    readonly reviewer: { id: string; role: UserRole },
    readonly request: CreateReviewRequest,
  ) {
    super();
  }
}
