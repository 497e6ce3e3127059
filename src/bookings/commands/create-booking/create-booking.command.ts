import { Command } from '@nestjs/cqrs';
import { type CreateBookingRequest } from '../../http/booking-requests';

/** POST /bookings' answer (§3.1): the buyer view of the new booking and the PaymentIntent's secret. */
export interface CreatedBooking {
  booking: Record<string, unknown>;
  /** Null with the development gateway (§4.9): there is no PaymentIntent to confirm. */
  client_secret: string | null;
}

export class CreateBookingCommand extends Command<CreatedBooking> {
  constructor(
    readonly buyer: { id: string; emailVerified: boolean },
    readonly request: CreateBookingRequest,
  ) {
    super();
  }
}
