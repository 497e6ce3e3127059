import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { NOTIFICATIONS } from '../../../notifications/domain/notification-catalogue';
import { NotificationService } from '../../../notifications/domain/notification.service';
import { maskContacts } from '../../domain/contact-masking';
import {
  acceptsMessages,
  MESSAGE_QUOTAS,
  otherParty,
  type Participant,
  participantOf,
} from '../../domain/conversation-rules';
import { isTemplate } from '../../domain/message-templates';
import { MessagingErrors } from '../../domain/messaging.errors';
import { displayName, messageResponse, type MessageResponse } from '../../http/message.response';
import {
  type ConversationBooking,
  conversationBookingForSend,
  lockSenderConversation,
} from '../../persistence/conversation-bookings';
import { countSent, insertMessage } from '../../persistence/messages';
import { type MessageAuthor, SendMessageCommand } from './send-message.command';

/**
 * messaging-reports §2.1 POST, its checks in the spec's order, in one transaction: the message and
 * the other party's `new_message` notification (with its push job) commit together or not at all.
 */
@CommandHandler(SendMessageCommand)
export class SendMessageHandler implements ICommandHandler<SendMessageCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationService,
  ) {}

  execute({ author, bookingId, message }: SendMessageCommand): Promise<MessageResponse> {
    return inTransaction(this.dataSource, async (manager) => {
      const booking = await conversationBookingForSend(manager, bookingId);
      const side = senderSide(booking, author);
      const content = await this.admissibleContent(manager, booking, author.id, message);
      const stored = await insertMessage(manager, {
        bookingId,
        senderId: author.id,
        isTemplate: message.isTemplate,
        content,
      });
      const senderName = displayName(author);
      await this.notifications.notify(
        manager,
        otherParty(booking, side),
        NOTIFICATIONS.newMessage({ bookingId, messageId: stored.id, senderName }),
      );
      return messageResponse({ ...stored, sender: author });
    });
  }

  /**
   * Checks 4–6: the booking's status, the template whitelist, then the sender's quota under a lock
   * that serialises their sends on this booking, so that the count stays exact. Custom text comes
   * back masked.
   */
  private async admissibleContent(
    manager: EntityManager,
    booking: ConversationBooking,
    senderId: string,
    { content, isTemplate: asTemplate }: SendMessageCommand['message'],
  ): Promise<string> {
    if (!acceptsMessages(booking.status)) throw MessagingErrors.unavailable(booking.status);
    if (asTemplate && !isTemplate(content)) throw MessagingErrors.invalidTemplate();
    await lockSenderConversation(manager, booking.id, senderId);
    const sent = await countSent(manager, { bookingId: booking.id, senderId, isTemplate: asTemplate });
    if (asTemplate) {
      if (sent >= MESSAGE_QUOTAS.template)
        throw MessagingErrors.templateQuotaReached(MESSAGE_QUOTAS.template);
      return content;
    }
    if (sent >= MESSAGE_QUOTAS.custom) throw MessagingErrors.customQuotaReached(MESSAGE_QUOTAS.custom);
    return maskContacts(content);
  }
}

/** Checks 2 and 3: admins may read but never send (H-003); anyone else must be a participant. */
function senderSide(booking: ConversationBooking, author: MessageAuthor): Participant {
  if (author.role === 'admin') throw MessagingErrors.adminCannotSend();
  const side = participantOf(booking, author.id);
  if (side === null) throw MessagingErrors.notParticipant();
  return side;
}
