import { Query } from '@nestjs/cqrs';
import { type BookingReader } from '../booking-surroundings';

export interface BookingPage {
  items: Record<string, unknown>[];
  /** Matching bookings before pagination (`X-Total-Count`). */
  total: number;
}

/** GET /bookings/me (§3.10). */
export class ListMyBookingsQuery extends Query<BookingPage> {
  constructor(
    readonly reader: BookingReader,
    readonly limit: number,
    readonly offset: number,
  ) {
    super();
  }
}
