import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BookingEntity } from './persistence/booking.entity';
import { BookingTransitionEntity } from './persistence/booking-transition.entity';
import { BookingsPersonalData } from './persistence/bookings.personal-data';
import { MechanicBookingStatsHandler } from './queries/mechanic-booking-stats/mechanic-booking-stats.handler';

/**
 * Bookings (bookings-payments §1–§3, §5): for now the schema, the state machine
 * (domain/booking.machine.ts) and the locking helpers (persistence/booking.locks.ts) that the
 * command handlers, webhooks and jobs will use; no controllers yet.
 */
@Module({
  imports: [TypeOrmModule.forFeature([BookingEntity, BookingTransitionEntity])],
  providers: [BookingsPersonalData, MechanicBookingStatsHandler],
})
export class BookingsModule {}
