import { Command } from '@nestjs/cqrs';

/** PATCH /bookings/{id}/enter-code (§3.6). */
export class EnterCodeCommand extends Command<{ status: 'checked_in' }> {
  constructor(
    readonly bookingId: string,
    readonly userId: string,
    readonly mechanicProfileId: string,
    readonly code: string,
  ) {
    super();
  }
}
