import { Command } from '@nestjs/cqrs';

export type LogoutResult = { status: 'logged_out' | 'already_logged_out' };

export class LogoutCommand extends Command<LogoutResult> {
  constructor(
    readonly accessToken: string,
    readonly refreshToken: string | null | undefined,
  ) {
    super();
  }
}
