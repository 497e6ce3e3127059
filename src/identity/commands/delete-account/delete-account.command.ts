import { Command } from '@nestjs/cqrs';
import { type TokenClaims } from '../../domain/token.service';

export class DeleteAccountCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly presentedToken: TokenClaims,
  ) {
    super();
  }
}
