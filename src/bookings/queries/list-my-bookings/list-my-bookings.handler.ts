import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type FindOptionsWhere } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { enrichedBookingView } from '../../http/booking-enriched.view';
import { BookingEntity } from '../../persistence/booking.entity';
import { loadSurroundings, profileIdOf, revealRules } from '../booking-surroundings';
import { type BookingPage, ListMyBookingsQuery } from './list-my-bookings.query';

/**
 * §3.10: the buyer's bookings, the mechanic's (none without a profile), or every booking for an
 * admin; newest first (then by id, so that pages never overlap), each as its enriched object.
 */
@QueryHandler(ListMyBookingsQuery)
export class ListMyBookingsHandler implements IQueryHandler<ListMyBookingsQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ reader, limit, offset }: ListMyBookingsQuery): Promise<BookingPage> {
    const manager = this.dataSource.manager;
    let where: FindOptionsWhere<BookingEntity> = {};
    if (reader.role === 'buyer') where = { buyerId: reader.userId };
    if (reader.role === 'mechanic') {
      const profileId = await profileIdOf(manager, reader.userId);
      if (!profileId) return { items: [], total: 0 };
      where = { mechanicId: profileId };
    }
    const [bookings, total] = await manager.findAndCount(BookingEntity, {
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: offset,
      take: limit,
    });
    const surroundings = await loadSurroundings(
      manager,
      bookings.map((booking) => booking.id),
    );
    const rules = revealRules(this.clock.now(), this.config);
    return {
      items: bookings.map((booking) =>
        enrichedBookingView(booking, reader.role, surroundings.get(booking.id)!, rules),
      ),
      total,
    };
  }
}
