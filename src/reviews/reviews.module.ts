import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CreateReviewHandler } from './commands/create-review/create-review.handler';
import { ReviewsController } from './http/reviews.controller';
import { ReviewEntity } from './persistence/review.entity';
import { ReviewsPersonalData } from './persistence/reviews.personal-data';
import { ListReviewsHandler } from './queries/list-reviews/list-reviews.handler';

/** Reviews and the mechanic rating aggregates (messaging-reports §1.3, §2.3, §3.3). */
@Module({
  imports: [TypeOrmModule.forFeature([ReviewEntity])],
  controllers: [ReviewsController],
  providers: [CreateReviewHandler, ListReviewsHandler, ReviewsPersonalData],
})
export class ReviewsModule {}
