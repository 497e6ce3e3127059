import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { refusalError } from '../../domain/booking-refusals';
import { BookingEntity } from '../../persistence/booking.entity';
import { lockBooking } from '../../persistence/booking.locks';
import { CheckInCodes } from '../check-in/check-in-codes';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { EnterCodeCommand } from './enter-code.command';

/**
 * T10: the mechanic types the buyer's code. The machine checks expiry, then the attempts left,
 * then the match; a wrong code is counted in the same locked transaction, which is then
 * **committed** and only afterwards answered with the 400 (N13.6, I-8). The row lock serialises
 * concurrent entries, so each wrong one adds exactly 1 and none is counted past the cap.
 */
@CommandHandler(EnterCodeCommand)
export class EnterCodeHandler implements ICommandHandler<EnterCodeCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: BookingTransitionRunner,
    private readonly codes: CheckInCodes,
  ) {}

  async execute({ bookingId, userId, mechanicProfileId, code }: EnterCodeCommand) {
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      const result = await this.transitions.apply(manager, booking, {
        type: 'enter_code',
        actor: { role: 'mechanic', userId, profileId: mechanicProfileId },
        codeMatches: this.codes.matches(code, booking.checkInCode),
      });
      if (!result.ok && result.countsAsFailedAttempt)
        await manager.increment(BookingEntity, { id: booking.id }, 'checkInCodeAttempts', 1);
      return result;
    });
    if (!outcome.ok) throw refusalError(outcome);
    this.transitions.count(outcome);
    return { status: 'checked_in' as const };
  }
}
