import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { BookingEntity } from '../../persistence/booking.entity';
import { GetLocationQuery, type MechanicLocation } from './get-location.query';

/** GPS minimisation (§12.4): about 111 m is enough to see the mechanic coming. */
const roundTo3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * §3.13 with HEAD's rules (§12.4, adopted): the booking's buyer or an admin; a position only while
 * the booking is confirmed, rounded to 3 decimals.
 */
@QueryHandler(GetLocationQuery)
export class GetLocationHandler implements IQueryHandler<GetLocationQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ reader, bookingId }: GetLocationQuery): Promise<MechanicLocation> {
    const booking = await this.dataSource.manager.findOneBy(BookingEntity, { id: bookingId });
    if (!booking) throw new DomainError('booking_not_found', 'Booking not found');
    if (reader.role !== 'admin' && booking.buyerId !== reader.userId) {
      throw new DomainError('access_denied', 'Not authorized');
    }
    if (booking.status !== 'confirmed' || booking.mechanicLat === null || booking.mechanicLng === null) {
      throw new DomainError('location_not_available', 'No location available');
    }
    return {
      lat: roundTo3(booking.mechanicLat),
      lng: roundTo3(booking.mechanicLng),
      updated_at: booking.mechanicLocationUpdatedAt?.toISOString() ?? null,
    };
  }
}
