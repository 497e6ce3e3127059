import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { DeliveryQueue } from '../../delivery/delivery-queue';
import { NotificationEntity } from '../persistence/notification.entity';
import { PUSH_QUEUE, type PushJob } from '../push/push-delivery';
import { type Notification } from './notification-catalogue';

/**
 * The one way any module notifies a user (messaging §3.2.1). Called with the emitter's own
 * transaction: the in-app row and its push job commit together or not at all, so no push goes out
 * for a rolled-back change (§9-5) and none is lost to a crash or a deploy (C-009).
 */
@Injectable()
export class NotificationService {
  constructor(private readonly queue: DeliveryQueue) {}

  async notify(manager: EntityManager, userId: string, notification: Notification): Promise<void> {
    // An emitter's own `type` key wins, as in the original.
    const data = { type: notification.type, ...notification.data };
    const { identifiers } = await manager.getRepository(NotificationEntity).insert({
      userId,
      type: notification.type,
      title: notification.title,
      body: notification.body,
      data,
    });
    const job: PushJob = {
      notificationId: identifiers[0].id as string,
      userId,
      title: notification.title,
      body: notification.body,
      data,
    };
    await this.queue.enqueue(manager, PUSH_QUEUE, job);
  }
}
