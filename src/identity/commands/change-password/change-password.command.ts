import { Command } from '@nestjs/cqrs';
import { type TokenClaims } from '../../domain/token.service';
import { type UserEntity } from '../../persistence/user.entity';

export class ChangePasswordCommand extends Command<void> {
  constructor(
    readonly user: UserEntity,
    readonly presentedToken: TokenClaims,
    readonly oldPassword: string,
    readonly newPassword: string,
  ) {
    super();
  }
}
