import { mechanicDisplayName } from '../../bookings/domain/inspection';
import { type MessageWithSender } from '../persistence/messages';

/** MessageResponse of messaging-reports §2.1. */
export interface MessageResponse {
  id: string;
  booking_id: string;
  sender_id: string | null;
  is_template: boolean;
  content: string;
  created_at: string;
  sender_name: string | null;
}

type Person = NonNullable<MessageWithSender['sender']>;

/**
 * "First Last", else the first name, else the local part of the e-mail (MSG-12): the rule the
 * inspection report applies to the mechanic's name, so both use its one helper.
 */
export function displayName(person: Person): string {
  return mechanicDisplayName(person);
}

export function messageResponse(message: MessageWithSender): MessageResponse {
  return {
    id: message.id,
    booking_id: message.bookingId,
    sender_id: message.senderId,
    is_template: message.isTemplate,
    content: message.content,
    created_at: message.createdAt.toISOString(),
    sender_name: message.sender ? displayName(message.sender) : null,
  };
}
