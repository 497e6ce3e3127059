import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { refusalError } from '../../domain/booking-refusals';
import { bookingView } from '../../http/booking.views';
import { lockBooking } from '../../persistence/booking.locks';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { AcceptBookingCommand } from './accept-booking.command';

/**
 * T2: the booking's mechanic confirms it. No money moves; the machine also requires the buyer's
 * authorisation to have been seen (N13.15 [REC]), so a mechanic never travels for an unpaid booking.
 */
@CommandHandler(AcceptBookingCommand)
export class AcceptBookingHandler implements ICommandHandler<AcceptBookingCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: BookingTransitionRunner,
  ) {}

  async execute({ bookingId, userId, mechanicProfileId }: AcceptBookingCommand) {
    const applied = await inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      const result = await this.transitions.apply(manager, booking, {
        type: 'accept',
        actor: { role: 'mechanic', userId, profileId: mechanicProfileId },
      });
      if (!result.ok) throw refusalError(result);
      return result;
    });
    this.transitions.count(applied);
    return bookingView(applied.booking, 'mechanic');
  }
}
