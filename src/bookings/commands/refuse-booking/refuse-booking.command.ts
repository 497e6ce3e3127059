import { Command } from '@nestjs/cqrs';
import { type RefusalReason } from '../../domain/booking-status';

export interface RefuseBookingResult {
  status: 'cancelled';
  reason: RefusalReason;
  proposed_time: string | null;
}

/** PATCH /bookings/{id}/refuse (§3.3). */
export class RefuseBookingCommand extends Command<RefuseBookingResult> {
  constructor(
    readonly bookingId: string,
    readonly userId: string,
    readonly mechanicProfileId: string,
    readonly reason: RefusalReason,
    readonly proposedTime: string | null,
  ) {
    super();
  }
}
