import { Command } from '@nestjs/cqrs';

/** PATCH /bookings/{id}/location (§3.12 with §12.4): the mechanic's position during the appointment. */
export class UpdateLocationCommand extends Command<{ status: 'ok' }> {
  constructor(
    readonly mechanicProfileId: string,
    readonly bookingId: string,
    readonly position: { lat: number; lng: number },
  ) {
    super();
  }
}
