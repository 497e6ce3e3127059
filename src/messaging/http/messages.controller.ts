import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { BookingIdParam } from '../../bookings/http/booking-requests';
import { ConversationPageQuery } from '../../common/http/page.query';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { Authenticated, CurrentUser } from '../../identity/auth/auth.decorators';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { SendMessageCommand } from '../commands/send-message/send-message.command';
import { ListMessagesQuery } from '../queries/list-messages/list-messages.query';
import { ListTemplatesQuery } from '../queries/list-templates/list-templates.query';
import { SendMessageRequest, TemplatesQuery } from './message.requests';

/** The quick-reply catalogue (messaging-reports §2.1): public, for the app's message composer. */
@ApiTags('messages')
@Controller('messages')
export class MessageTemplatesController {
  constructor(private readonly queries: QueryBus) {}

  @Get('templates')
  @RateLimit('message_read')
  templates(@Query() query: TemplatesQuery) {
    return this.queries.execute(new ListTemplatesQuery(query.role));
  }
}

/** A booking's conversation (messaging-reports §2.1, §3.1): its participants write, admins read. */
@ApiTags('messages')
@Controller('bookings/:booking_id/messages')
@Authenticated()
export class BookingMessagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RateLimit('message_read')
  list(
    @CurrentUser() user: UserEntity,
    @Param() params: BookingIdParam,
    @Query() page: ConversationPageQuery,
  ) {
    return this.queries.execute(
      new ListMessagesQuery({ id: user.id, role: user.role }, params.booking_id, {
        limit: page.limit,
        offset: page.offset,
      }),
    );
  }

  @Post()
  @RateLimit('message_send')
  @HttpCode(201)
  send(@CurrentUser() user: UserEntity, @Param() params: BookingIdParam, @Body() body: SendMessageRequest) {
    return this.commands.execute(
      new SendMessageCommand(user, params.booking_id, {
        content: body.content,
        isTemplate: body.is_template,
      }),
    );
  }
}
