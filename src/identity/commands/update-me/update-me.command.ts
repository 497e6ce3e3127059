import { Command } from '@nestjs/cqrs';
import { type TokenClaims } from '../../domain/token.service';
import { type UpdateMeRequest } from '../../http/auth.requests';
import { type UserResponse } from '../../http/user.response';

export class UpdateMeCommand extends Command<UserResponse> {
  constructor(
    readonly userId: string,
    readonly presentedToken: TokenClaims,
    readonly changes: UpdateMeRequest,
  ) {
    super();
  }
}
