import { Command } from '@nestjs/cqrs';
import { type TokenPair } from '../../domain/token.service';

export class LoginCommand extends Command<TokenPair> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}
