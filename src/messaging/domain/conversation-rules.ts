import { type UserRole } from '../../identity/persistence/user.entity';

/** messaging-reports §3.1.1: a chat is open while the appointment is ahead or under way. */
const SENDABLE_STATUSES: ReadonlySet<string> = new Set([
  'confirmed',
  'awaiting_mechanic_code',
  'check_in_done',
]);

export function acceptsMessages(status: string): boolean {
  return SENDABLE_STATUSES.has(status);
}

/** Per sender per booking, counted separately (§3.1.1). */
export const MESSAGE_QUOTAS = { template: 20, custom: 30 } as const;

/** The two people a booking's conversation is between. */
export interface ConversationParties {
  buyerId: string;
  /** The user behind the booking's mechanic profile. */
  mechanicUserId: string;
}

export type Participant = 'buyer' | 'mechanic';

/** Which side of the booking the user is on, whatever their role or profile state (§3.1.1). */
export function participantOf(parties: ConversationParties, userId: string): Participant | null {
  if (userId === parties.buyerId) return 'buyer';
  if (userId === parties.mechanicUserId) return 'mechanic';
  return null;
}

/** The participants read their conversation; admins read every one, for disputes (§2.1). */
export function mayRead(parties: ConversationParties, user: { id: string; role: UserRole }): boolean {
  return user.role === 'admin' || participantOf(parties, user.id) !== null;
}

/** The other side: the recipient of a message's notification. */
export function otherParty(parties: ConversationParties, sender: Participant): string {
  return sender === 'buyer' ? parties.mechanicUserId : parties.buyerId;
}
