import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { inTransaction } from '../../../database/transactions';
import { refusalError } from '../../domain/booking-refusals';
import { lockBooking } from '../../persistence/booking.locks';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { verdictEvent, verdictResponse } from './booking-verdict';
import { ValidateBookingCommand, type ValidationResult } from './validate-booking.command';

/**
 * §3.8: the buyer accepts the inspection (T12: the release is due PAYMENT_RELEASE_DELAY_HOURS
 * later, D12) or disputes it (T13: the dispute row, the mechanic told), under the booking's lock.
 */
@CommandHandler(ValidateBookingCommand)
export class ValidateBookingHandler implements ICommandHandler<ValidateBookingCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transitions: BookingTransitionRunner,
  ) {}

  async execute({ bookingId, buyerId, verdict }: ValidateBookingCommand): Promise<ValidationResult> {
    const applied = await inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      const result = await this.transitions.apply(manager, booking, verdictEvent(buyerId, verdict));
      if (!result.ok) throw refusalError(result);
      return result;
    });
    this.transitions.count(applied);
    return verdictResponse(applied, this.config.PAYMENT_RELEASE_DELAY_HOURS);
  }
}
