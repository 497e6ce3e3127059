import { Command } from '@nestjs/cqrs';
import { type RegisterRequest } from '../../http/auth.requests';

export class RegisterUserCommand extends Command<void> {
  constructor(readonly request: RegisterRequest) {
    super();
  }
}
