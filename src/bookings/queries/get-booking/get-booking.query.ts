import { Query } from '@nestjs/cqrs';
import { type BookingReader } from '../booking-surroundings';

/** GET /bookings/{id} (§3.11): the enriched object in the reader's view. */
export class GetBookingQuery extends Query<Record<string, unknown>> {
  constructor(
    readonly reader: BookingReader,
    readonly bookingId: string,
  ) {
    super();
  }
}
