import { Command } from '@nestjs/cqrs';
import { type UserEntity } from '../../../identity/persistence/user.entity';
import { type MessageResponse } from '../../http/message.response';

/** The caller, with what their display name is built from. */
export type MessageAuthor = Pick<UserEntity, 'id' | 'role' | 'firstName' | 'lastName' | 'email'>;

/** POST /bookings/{id}/messages (messaging-reports §2.1). */
export class SendMessageCommand extends Command<MessageResponse> {
  constructor(
    readonly author: MessageAuthor,
    readonly bookingId: string,
    readonly message: { content: string; isTemplate: boolean },
  ) {
    super();
  }
}
