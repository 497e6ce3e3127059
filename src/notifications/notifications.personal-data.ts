import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { OwnsPersonalData, sanitiseForCsv, type PersonalDataOwner } from '../identity/domain/personal-data';
import { type UserEntity } from '../identity/persistence/user.entity';
import { NotificationEntity } from './persistence/notification.entity';

/** messaging §3.2.5: deletion removes the inbox (identity clears the push token); export lists it. */
@Injectable()
@OwnsPersonalData()
export class NotificationsPersonalData implements PersonalDataOwner {
  readonly tables = ['notifications'];

  async erase(manager: EntityManager, user: UserEntity): Promise<void> {
    await manager.getRepository(NotificationEntity).delete({ userId: user.id });
  }

  async export(manager: EntityManager, user: UserEntity, limit: number): Promise<Record<string, unknown>> {
    const rows = await manager.getRepository(NotificationEntity).find({
      where: { userId: user.id },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return {
      notifications: rows.map((row) => ({
        id: row.id,
        type: row.type,
        title: sanitiseForCsv(row.title),
        body: sanitiseForCsv(row.body),
        is_read: row.isRead,
        created_at: row.createdAt.toISOString(),
      })),
    };
  }
}
