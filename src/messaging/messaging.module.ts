import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SendMessageHandler } from './commands/send-message/send-message.handler';
import { BookingMessagesController, MessageTemplatesController } from './http/messages.controller';
import { MessagesPersonalData } from './persistence/messages.personal-data';
import { MessageEntity } from './persistence/message.entity';
import { ListMessagesHandler } from './queries/list-messages/list-messages.handler';
import { ListTemplatesHandler } from './queries/list-templates/list-templates.handler';

/**
 * The booking chat of messaging-reports §2.1 and §3.1: quick-reply templates, free text masked for
 * contact details before it is stored, per-sender quotas, a `new_message` notification per send,
 * and the GDPR erase and export of what a user wrote.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MessageEntity])],
  controllers: [MessageTemplatesController, BookingMessagesController],
  providers: [SendMessageHandler, ListMessagesHandler, ListTemplatesHandler, MessagesPersonalData],
})
export class MessagingModule {}
