import { Command } from '@nestjs/cqrs';

/** Stores the device's Expo push token, or clears it with `null` (DELETE /auth/push-token). */
export class SetPushTokenCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly token: string | null,
  ) {
    super();
  }
}
