import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { type BookingActor } from '../../domain/booking-events';
import { MESSAGES, refusal, refusalError } from '../../domain/booking-refusals';
import { lockBooking } from '../../persistence/booking.locks';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { CancelBookingCommand, type CancelBookingResult } from './cancel-booking.command';

/**
 * T4 with the policy of §5: the machine picks the band (the mechanic always refunds in full) and
 * checks H-005 before any Stripe call; the payment runs with its stable key (C-004) under the row
 * lock, so of two concurrent cancels one moves the money and the other gets 409 (I-5).
 */
@CommandHandler(CancelBookingCommand)
export class CancelBookingHandler implements ICommandHandler<CancelBookingCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: BookingTransitionRunner,
  ) {}

  async execute({ bookingId, caller }: CancelBookingCommand): Promise<CancelBookingResult> {
    const applied = await inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      const actor = await actorOf(manager, caller);
      const result = await this.transitions.apply(manager, booking, { type: 'cancel', actor });
      if (!result.ok) throw refusalError(result);
      return result;
    });
    this.transitions.count(applied);
    const { booking } = applied;
    return {
      status: 'cancelled',
      cancelled_by: booking.cancelledBy ?? 'buyer',
      refund_percentage: booking.refundPercentage ?? 0,
      refund_amount: booking.refundAmount ?? '0.00',
    };
  }
}

/**
 * Suspended or deactivated mechanics may cancel (§3.4), so the caller's profile is looked up here
 * rather than through the mechanic guard; a mechanic without one owns no booking.
 */
async function actorOf(
  manager: EntityManager,
  caller: CancelBookingCommand['caller'],
): Promise<BookingActor> {
  switch (caller.role) {
    case 'buyer':
      return { role: 'buyer', userId: caller.id, emailVerified: caller.isVerified };
    case 'admin':
      return { role: 'admin', userId: caller.id };
    case 'mechanic': {
      const rows: { id: string }[] = await manager.query(
        'SELECT id FROM mechanic_profiles WHERE user_id = $1',
        [caller.id],
      );
      if (rows.length === 0) throw refusalError(refusal('not_your_booking', MESSAGES.notYourBooking));
      return { role: 'mechanic', userId: caller.id, profileId: rows[0].id };
    }
  }
}
