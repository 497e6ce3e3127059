import { Command } from '@nestjs/cqrs';
import { type TokenPair } from '../../domain/token.service';

export class RefreshTokensCommand extends Command<TokenPair> {
  constructor(readonly refreshToken: string) {
    super();
  }
}
