import { Query } from '@nestjs/cqrs';
import { type UserRole } from '../../../identity/persistence/user.entity';
import { type MessageResponse } from '../../http/message.response';

/** GET /bookings/{id}/messages (messaging-reports §2.1). */
export class ListMessagesQuery extends Query<MessageResponse[]> {
  constructor(
    readonly reader: { id: string; role: UserRole },
    readonly bookingId: string,
    readonly page: { limit: number; offset: number },
  ) {
    super();
  }
}
