import { type EntityManager } from 'typeorm';
import { type ConversationParties } from '../domain/conversation-rules';
import { MessagingErrors } from '../domain/messaging.errors';

export interface ConversationBooking extends ConversationParties {
  id: string;
  status: string;
}

/** How long a send waits for a booking transition or for the same sender's previous send. */
const SEND_LOCK_TIMEOUT_MS = 3_000;

/**
 * Namespace of the two-key advisory locks that serialise one sender's sends on one booking (the
 * second key is a hash of the pair: a collision only serialises two unrelated sends).
 */
const SENDER_LOCK_CLASS = 1_764_000_009;

const BOOKING_WITH_PARTIES = `
  SELECT b.id, b.status, b.buyer_id, p.user_id AS mechanic_user_id
    FROM bookings b
    JOIN mechanic_profiles p ON p.id = b.mechanic_id
   WHERE b.id = $1`;

interface BookingRow {
  id: string;
  status: string;
  buyer_id: string;
  mechanic_user_id: string;
}

/**
 * A booking and the two users of its conversation, or 404 "Booking not found". Plain SQL: the
 * bookings module's persistence is its own.
 */
export async function conversationBooking(
  manager: EntityManager,
  bookingId: string,
): Promise<ConversationBooking> {
  return toConversation(await manager.query(BOOKING_WITH_PARTIES, [bookingId]));
}

/**
 * The same, for a send: `FOR KEY SHARE` waits for a transition in flight (they lock `FOR UPDATE`)
 * and then reads its outcome, so the status check holds until commit; it is the lock the message's
 * foreign key takes anyway, and it lets both participants send at once. Waits are bounded: a lock
 * timeout is answered 503 "busy" by the exception filter, never a hung request.
 */
export async function conversationBookingForSend(
  manager: EntityManager,
  bookingId: string,
): Promise<ConversationBooking> {
  await manager.query("SELECT set_config('lock_timeout', $1, true)", [`${SEND_LOCK_TIMEOUT_MS}ms`]);
  return toConversation(await manager.query(`${BOOKING_WITH_PARTIES} FOR KEY SHARE OF b`, [bookingId]));
}

function toConversation(rows: BookingRow[]): ConversationBooking {
  const [row] = rows;
  if (!row) throw MessagingErrors.bookingNotFound();
  return { id: row.id, status: row.status, buyerId: row.buyer_id, mechanicUserId: row.mechanic_user_id };
}

/**
 * Serialises one sender's sends on one booking until the transaction ends, so that the quota count
 * that follows is exact (the original's count-then-insert let concurrent sends exceed it, §9-3).
 */
export async function lockSenderConversation(
  manager: EntityManager,
  bookingId: string,
  senderId: string,
): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
    SENDER_LOCK_CLASS,
    `${bookingId}:${senderId}`,
  ]);
}
