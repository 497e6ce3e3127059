import { type EntityManager } from 'typeorm';
import { MessageEntity } from './message.entity';

/** A stored message with the names its sender's display name is built from (null once erased). */
export interface MessageWithSender {
  id: string;
  bookingId: string;
  senderId: string | null;
  isTemplate: boolean;
  content: string;
  createdAt: Date;
  sender: { firstName: string | null; lastName: string | null; email: string } | null;
}

interface MessageRow {
  id: string;
  booking_id: string;
  sender_id: string | null;
  is_template: boolean;
  content: string;
  created_at: Date;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

/** One page of a conversation, oldest first (the id breaks ties between equal timestamps). */
export async function conversationPage(
  manager: EntityManager,
  bookingId: string,
  page: { limit: number; offset: number },
): Promise<MessageWithSender[]> {
  const rows: MessageRow[] = await manager.query(
    `SELECT m.id, m.booking_id, m.sender_id, m.is_template, m.content, m.created_at,
            u.first_name, u.last_name, u.email
       FROM messages m
       LEFT JOIN users u ON u.id = m.sender_id
      WHERE m.booking_id = $1
      ORDER BY m.created_at, m.id
      LIMIT $2 OFFSET $3`,
    [bookingId, page.limit, page.offset],
  );
  return rows.map((row) => ({
    id: row.id,
    bookingId: row.booking_id,
    senderId: row.sender_id,
    isTemplate: row.is_template,
    content: row.content,
    createdAt: row.created_at,
    sender:
      row.sender_id === null
        ? null
        : { firstName: row.first_name, lastName: row.last_name, email: row.email ?? '' },
  }));
}

/** How many template (or custom) messages the sender already wrote in this booking. */
export function countSent(
  manager: EntityManager,
  message: { bookingId: string; senderId: string; isTemplate: boolean },
): Promise<number> {
  return manager.getRepository(MessageEntity).countBy(message);
}

export async function insertMessage(
  manager: EntityManager,
  message: { bookingId: string; senderId: string; isTemplate: boolean; content: string },
): Promise<MessageEntity> {
  const repository = manager.getRepository(MessageEntity);
  const { generatedMaps } = await repository.insert(message);
  return repository.create({ ...message, ...generatedMaps[0] });
}
