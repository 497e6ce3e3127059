import { Command } from '@nestjs/cqrs';
import { type UserRole } from '../../../identity/persistence/user.entity';
import { type CancelledBy } from '../../domain/booking-status';

export interface CancelBookingResult {
  status: 'cancelled';
  cancelled_by: CancelledBy;
  refund_percentage: number;
  refund_amount: string;
}

/** PATCH /bookings/{id}/cancel (§3.4): any authenticated user; the machine tells who may. */
export class CancelBookingCommand extends Command<CancelBookingResult> {
  constructor(
    readonly bookingId: string,
    readonly caller: { id: string; role: UserRole; isVerified: boolean },
  ) {
    super();
  }
}
