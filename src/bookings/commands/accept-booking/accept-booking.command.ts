import { Command } from '@nestjs/cqrs';

/** PATCH /bookings/{id}/accept (§3.2); answers the mechanic view (N13.24). */
export class AcceptBookingCommand extends Command<Record<string, unknown>> {
  constructor(
    readonly bookingId: string,
    readonly userId: string,
    readonly mechanicProfileId: string,
  ) {
    super();
  }
}
