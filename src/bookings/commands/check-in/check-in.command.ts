import { Command } from '@nestjs/cqrs';

/** PATCH /bookings/{id}/check-in (§3.5): the response the buyer gets. */
export interface CheckInResult {
  check_in_code: string | null;
  dispute_opened: boolean;
  mechanic_nearby_warning: boolean;
}

export class CheckInCommand extends Command<CheckInResult> {
  constructor(
    readonly bookingId: string,
    readonly buyerId: string,
    readonly mechanicPresent: boolean,
  ) {
    super();
  }
}
