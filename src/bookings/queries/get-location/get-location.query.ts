import { Query } from '@nestjs/cqrs';
import { type BookingReader } from '../booking-surroundings';

export interface MechanicLocation {
  lat: number;
  lng: number;
  updated_at: string | null;
}

/** GET /bookings/{id}/location (§3.13 with §12.4). */
export class GetLocationQuery extends Query<MechanicLocation> {
  constructor(
    readonly reader: BookingReader,
    readonly bookingId: string,
  ) {
    super();
  }
}
