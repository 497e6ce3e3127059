import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { mayRead } from '../../domain/conversation-rules';
import { MessagingErrors } from '../../domain/messaging.errors';
import { messageResponse, type MessageResponse } from '../../http/message.response';
import { conversationBooking } from '../../persistence/conversation-bookings';
import { conversationPage } from '../../persistence/messages';
import { ListMessagesQuery } from './list-messages.query';

/** A booking's conversation, oldest first, in any status: its two participants and any admin. */
@QueryHandler(ListMessagesQuery)
export class ListMessagesHandler implements IQueryHandler<ListMessagesQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ reader, bookingId, page }: ListMessagesQuery): Promise<MessageResponse[]> {
    const { manager } = this.dataSource;
    const booking = await conversationBooking(manager, bookingId);
    if (!mayRead(booking, reader)) throw MessagingErrors.notParticipant();
    return (await conversationPage(manager, bookingId, page)).map(messageResponse);
  }
}
