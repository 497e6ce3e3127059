import { Query } from '@nestjs/cqrs';
import { type NotificationResponse } from '../../http/notification.response';

export interface NotificationPage {
  notifications: NotificationResponse[];
  unread_count: number;
}

export class ListNotificationsQuery extends Query<NotificationPage> {
  constructor(
    readonly userId: string,
    readonly limit: number,
    readonly offset: number,
  ) {
    super();
  }
}
