import { Command } from '@nestjs/cqrs';
import { type NotificationResponse } from '../../http/notification.response';

export class MarkNotificationReadCommand extends Command<NotificationResponse> {
  constructor(
    readonly userId: string,
    readonly notificationId: string,
  ) {
    super();
  }
}
