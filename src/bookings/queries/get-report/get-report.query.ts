import { Query } from '@nestjs/cqrs';
import { type BookingReader } from '../booking-surroundings';

/** GET /bookings/{id}/report (issue 8): the inspection report's PDF bytes. */
export class GetReportQuery extends Query<Buffer> {
  constructor(
    readonly reader: BookingReader,
    readonly bookingId: string,
  ) {
    super();
  }
}
