import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { type NotificationResponse, notificationResponse } from '../../http/notification.response';
import { NotificationEntity } from '../../persistence/notification.entity';
import { MarkNotificationReadCommand } from './mark-notification-read.command';

/**
 * Idempotent. The row is matched on its id and its owner together, so another user's notification
 * is "not found" exactly like an unknown one: its existence is not revealed (messaging §7-7).
 */
@CommandHandler(MarkNotificationReadCommand)
export class MarkNotificationReadHandler implements ICommandHandler<MarkNotificationReadCommand> {
  constructor(
    @InjectRepository(NotificationEntity) private readonly notifications: Repository<NotificationEntity>,
  ) {}

  async execute({ userId, notificationId }: MarkNotificationReadCommand): Promise<NotificationResponse> {
    const owned = { id: notificationId, userId };
    const { affected } = await this.notifications.update(owned, { isRead: true });
    if (!affected) throw new DomainError('not_found', 'Notification not found');
    return notificationResponse(await this.notifications.findOneByOrFail(owned));
  }
}
