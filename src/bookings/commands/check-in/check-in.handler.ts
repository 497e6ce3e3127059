import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { refusalError } from '../../domain/booking-refusals';
import { lockBooking } from '../../persistence/booking.locks';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { CheckInCommand, type CheckInResult } from './check-in.command';

/**
 * T8/T8b: the buyer meets the mechanic and gets the code to show them. Called again while the
 * booking awaits the code, it issues a fresh one (N13.7): the runner overwrites the hash, the
 * attempts and the issue time in the same update, so the old code and its attempts are gone.
 */
@CommandHandler(CheckInCommand)
export class CheckInHandler implements ICommandHandler<CheckInCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: BookingTransitionRunner,
  ) {}

  async execute({ bookingId, buyerId, mechanicPresent }: CheckInCommand): Promise<CheckInResult> {
    // T9 opens a dispute, and dispute_cases does not exist yet: say so rather than half-do it.
    if (!mechanicPresent)
      throw new DomainError('no_show_unavailable', 'Reporting a no-show is not available yet');
    const applied = await inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      const result = await this.transitions.apply(manager, booking, {
        type: 'check_in',
        // The route requires a verified buyer (§3.5).
        actor: { role: 'buyer', userId: buyerId, emailVerified: true },
      });
      if (!result.ok) throw refusalError(result);
      return result;
    });
    this.transitions.count(applied);
    return { check_in_code: applied.checkInCode, dispute_opened: false, mechanic_nearby_warning: false };
  }
}
