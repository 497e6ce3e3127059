import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { MESSAGES } from '../../domain/booking-refusals';
import { enrichedBookingView } from '../../http/booking-enriched.view';
import { BookingEntity } from '../../persistence/booking.entity';
import { loadSurroundings, mayReadBooking, revealRules } from '../booking-surroundings';
import { GetBookingQuery } from './get-booking.query';

/**
 * §3.11, without a lock: 404 for an unknown id, then 403 "Not your booking" unless `mayReadBooking`.
 */
@QueryHandler(GetBookingQuery)
export class GetBookingHandler implements IQueryHandler<GetBookingQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ reader, bookingId }: GetBookingQuery): Promise<Record<string, unknown>> {
    const manager = this.dataSource.manager;
    const booking = await manager.findOneBy(BookingEntity, { id: bookingId });
    if (!booking) throw new DomainError('booking_not_found', 'Booking not found');
    if (!(await mayReadBooking(manager, reader, booking))) {
      throw new DomainError('not_your_booking', MESSAGES.notYourBooking);
    }
    const surroundings = await loadSurroundings(manager, [booking.id]);
    return enrichedBookingView(
      booking,
      reader.role,
      surroundings.get(booking.id)!,
      revealRules(this.clock.now(), this.config),
    );
  }
}
