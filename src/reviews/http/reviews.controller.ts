import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { Authenticated, CurrentUser } from '../../identity/auth/auth.decorators';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { CreateReviewCommand } from '../commands/create-review/create-review.command';
import { ListReviewsQuery } from '../queries/list-reviews/list-reviews.query';
import { CreateReviewRequest, ListReviewsParams } from './review.requests';

/** Reviews (messaging-reports §2.3): any participant writes, anyone reads a mechanic's public ones. */
@ApiTags('reviews')
@Controller('reviews')
export class ReviewsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Authenticated()
  @RateLimit('review_create')
  create(@CurrentUser() user: UserEntity, @Body() body: CreateReviewRequest) {
    return this.commands.execute(new CreateReviewCommand({ id: user.id, role: user.role }, body));
  }

  /** Public (§9.15): the mechanic's profile page shows these to visitors. */
  @Get()
  @RateLimit('list')
  list(@Query() query: ListReviewsParams) {
    return this.queries.execute(new ListReviewsQuery(query.mechanic_id, query.limit, query.offset));
  }
}
