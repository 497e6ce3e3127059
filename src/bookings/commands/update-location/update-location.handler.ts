import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { inTransaction } from '../../../database/transactions';
import { instantOfWallClock } from '../../../common/clock/wall-clock';
import { BookingEntity } from '../../persistence/booking.entity';
import { lockBooking } from '../../persistence/booking.locks';
import { loadSurroundings } from '../../queries/booking-surroundings';
import { UpdateLocationCommand } from './update-location.command';

/** §0.9: tracking is open from 15 minutes before the slot to 15 minutes after it (hard-coded). */
const TRACKING_MARGIN_MS = 15 * 60_000;

/**
 * §3.12. The booking row is locked, as for a transition: a cancellation or a check-out clears the
 * position (§12.3), and a position written after it would survive the booking's end.
 */
@CommandHandler(UpdateLocationCommand)
export class UpdateLocationHandler implements ICommandHandler<UpdateLocationCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  execute({ mechanicProfileId, bookingId, position }: UpdateLocationCommand): Promise<{ status: 'ok' }> {
    return inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      if (booking.mechanicId !== mechanicProfileId) throw new DomainError('access_denied', 'Not authorized');
      if (booking.status !== 'confirmed') {
        throw new DomainError('tracking_unavailable', 'Tracking only available for confirmed bookings');
      }
      const now = this.clock.now();
      const { slot } = (await loadSurroundings(manager, [booking.id])).get(booking.id)!;
      if (slot) {
        const zone = this.config.APP_TIMEZONE;
        const opens = instantOfWallClock(slot.date, slot.startTime, zone).getTime() - TRACKING_MARGIN_MS;
        const closes = instantOfWallClock(slot.date, slot.endTime, zone).getTime() + TRACKING_MARGIN_MS;
        if (now.getTime() < opens || now.getTime() > closes) {
          throw new DomainError('tracking_unavailable', 'Tracking only available during booking time window');
        }
      }
      await manager.update(
        BookingEntity,
        { id: booking.id },
        { mechanicLat: position.lat, mechanicLng: position.lng, mechanicLocationUpdatedAt: now },
      );
      return { status: 'ok' as const };
    });
  }
}
