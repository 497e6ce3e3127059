import { Command } from '@nestjs/cqrs';
import { type UpdateMeRequest } from '../../http/auth.requests';
import { type UserResponse } from '../../http/user.response';

export class UpdateMeCommand extends Command<UserResponse> {
  constructor(
    readonly userId: string,
    readonly changes: UpdateMeRequest,
  ) {
    super();
  }
}
