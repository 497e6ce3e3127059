import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { refusalError } from '../../domain/booking-refusals';
import { lockBooking } from '../../persistence/booking.locks';
import { lockDispute } from '../../persistence/dispute-cases';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { ResolveDisputeCommand, type ResolveDisputeResult } from './resolve-dispute.command';

/**
 * §9.3, I-10: the dispute is locked first and must be open (a concurrent second resolution waits,
 * then gets 409), then its booking; the machine decides on the booking's state (N13.23: a
 * chargeback dispute on a completed booking is a 409 before any Stripe call). The runner moves the
 * money with the dispute's key, records the verdict, the no-show penalty, the audit row and both
 * notifications in this transaction; a Stripe failure rolls all of it back (H-022). Metrics count
 * after the commit only.
 */
@CommandHandler(ResolveDisputeCommand)
export class ResolveDisputeHandler implements ICommandHandler<ResolveDisputeCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: BookingTransitionRunner,
  ) {}

  async execute({
    disputeId,
    resolution,
    notes,
    adminId,
  }: ResolveDisputeCommand): Promise<ResolveDisputeResult> {
    const applied = await inTransaction(this.dataSource, async (manager) => {
      const dispute = await lockDispute(manager, disputeId);
      const booking = await lockBooking(manager, dispute.bookingId);
      const result = await this.transitions.apply(manager, booking, {
        type: resolution === 'buyer' ? 'resolve_for_buyer' : 'resolve_for_mechanic',
        actor: { role: 'admin', userId: adminId },
        disputeId,
        notes,
      });
      if (!result.ok) throw refusalError(result);
      return result;
    });
    this.transitions.count(applied);
    return { status: 'resolved', resolution };
  }
}
