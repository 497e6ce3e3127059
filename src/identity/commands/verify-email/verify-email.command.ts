import { Command } from '@nestjs/cqrs';
import { type VerifyEmailRequest } from '../../http/auth.requests';

export type VerifyEmailResult = { status: 'verified' | 'already_verified' };

export class VerifyEmailCommand extends Command<VerifyEmailResult> {
  constructor(readonly request: VerifyEmailRequest) {
    super();
  }
}
