import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  OwnsPersonalData,
  type PersonalDataOwner,
  sanitiseForCsv,
} from '../../identity/domain/personal-data';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { MessageEntity } from './message.entity';

/** What erasure leaves of a deleted user's message (§3.1.5): the other party sees it was there. */
export const ERASED_MESSAGE_CONTENT = '[Message supprime]';

/**
 * messaging-reports §3.1.5: erasure keeps the conversation readable for the other party but strips
 * the deleted user's words and name from it; the export lists what the user sent, newest first.
 */
@Injectable()
@OwnsPersonalData()
export class MessagesPersonalData implements PersonalDataOwner {
  readonly tables = ['messages'];

  async erase(manager: EntityManager, user: UserEntity): Promise<void> {
    await manager
      .getRepository(MessageEntity)
      .update({ senderId: user.id }, { content: ERASED_MESSAGE_CONTENT, senderId: null });
  }

  async export(manager: EntityManager, user: UserEntity, limit: number): Promise<Record<string, unknown>> {
    const rows = await manager.getRepository(MessageEntity).find({
      where: { senderId: user.id },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    return {
      messages: rows.map((row) => ({
        id: row.id,
        booking_id: row.bookingId,
        content: sanitiseForCsv(row.content),
        is_template: row.isTemplate,
        created_at: row.createdAt.toISOString(),
      })),
    };
  }
}
