import { Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../../common/http/page.query';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { Authenticated, CurrentUser } from '../../identity/auth/auth.decorators';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { MarkAllNotificationsReadCommand } from '../commands/mark-all-notifications-read/mark-all-notifications-read.command';
import { MarkNotificationReadCommand } from '../commands/mark-notification-read/mark-notification-read.command';
import { ListNotificationsQuery } from '../queries/list-notifications/list-notifications.query';
import { NotificationIdParams } from './notification-id.params';

/** The in-app inbox of messaging §2.2: any authenticated user, only their own notifications. */
@ApiTags('notifications')
@Controller('notifications')
@Authenticated()
export class NotificationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RateLimit('list')
  list(@CurrentUser() user: UserEntity, @Query() page: PageQuery) {
    return this.queries.execute(new ListNotificationsQuery(user.id, page.limit, page.offset));
  }

  @Patch('read-all')
  @RateLimit('mark_read')
  async markAllRead(@CurrentUser() user: UserEntity) {
    await this.commands.execute(new MarkAllNotificationsReadCommand(user.id));
    return { status: 'ok' };
  }

  @Patch(':notification_id/read')
  @RateLimit('mark_read')
  markRead(@CurrentUser() user: UserEntity, @Param() params: NotificationIdParams) {
    return this.commands.execute(new MarkNotificationReadCommand(user.id, params.notification_id));
  }
}
