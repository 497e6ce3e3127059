import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { refusalError } from '../../domain/booking-refusals';
import { lockBooking } from '../../persistence/booking.locks';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { RefuseBookingCommand, type RefuseBookingResult } from './refuse-booking.command';

/**
 * T3: the mechanic declines a pending booking. The hold is released with the key `refuse_{id}`
 * before anything is written; a Stripe failure leaves the booking pending and its slot booked (H-022).
 */
@CommandHandler(RefuseBookingCommand)
export class RefuseBookingHandler implements ICommandHandler<RefuseBookingCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: BookingTransitionRunner,
  ) {}

  async execute(command: RefuseBookingCommand): Promise<RefuseBookingResult> {
    const applied = await inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, command.bookingId);
      const result = await this.transitions.apply(manager, booking, {
        type: 'refuse',
        actor: { role: 'mechanic', userId: command.userId, profileId: command.mechanicProfileId },
        reason: command.reason,
        proposedTime: command.proposedTime,
      });
      if (!result.ok) throw refusalError(result);
      return result;
    });
    this.transitions.count(applied);
    return { status: 'cancelled', reason: command.reason, proposed_time: command.proposedTime };
  }
}
