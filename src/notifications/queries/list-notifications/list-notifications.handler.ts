import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { notificationResponse } from '../../http/notification.response';
import { NotificationEntity } from '../../persistence/notification.entity';
import { ListNotificationsQuery, type NotificationPage } from './list-notifications.query';

/** The caller's inbox, newest first; `unread_count` ignores the page (messaging §2.2). */
@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery> {
  constructor(
    @InjectRepository(NotificationEntity) private readonly notifications: Repository<NotificationEntity>,
  ) {}

  async execute({ userId, limit, offset }: ListNotificationsQuery): Promise<NotificationPage> {
    const [rows, unread] = await Promise.all([
      this.notifications.find({
        where: { userId },
        order: { createdAt: 'DESC', id: 'DESC' },
        take: limit,
        skip: offset,
      }),
      this.notifications.countBy({ userId, isRead: false }),
    ]);
    return { notifications: rows.map(notificationResponse), unread_count: unread };
  }
}
