import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { RequestValidationError } from '../../../common/http/request-validation.error';
import { inTransaction, isExclusionViolation, isUniqueViolation } from '../../../database/transactions';
import { SlotClock } from '../../domain/slot-clock';
import { availabilityResponse, type AvailabilityResponse } from '../../http/mechanic.responses';
import { AvailabilityEntity } from '../../persistence/availability.entity';
import { lockProfile } from '../../persistence/profile.locks';
import { CreateAvailabilityCommand } from './create-availability.command';

export const MAX_UNBOOKED_SLOTS = 100;

/**
 * POST /mechanics/availabilities (identity §2.2-24). The profile row lock queues a mechanic's
 * creations, so the 100-slot cap is exact; overlaps are refused by the exclusion constraint itself,
 * which no race can get past (N10), and its violation is the 409.
 */
@CommandHandler(CreateAvailabilityCommand)
export class CreateAvailabilityHandler implements ICommandHandler<CreateAvailabilityCommand> {
  private readonly logger = new Logger('Mechanics');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly slotClock: SlotClock,
  ) {}

  async execute({ profileId, slot }: CreateAvailabilityCommand): Promise<AvailabilityResponse> {
    // "Today" in APP_TIMEZONE (N23): a Paris mechanic may publish a slot for today at 00:30 local time.
    if (slot.date < this.slotClock.now().date) {
      throw new RequestValidationError([
        {
          type: 'value_error',
          loc: ['body', 'date'],
          msg: 'Date must be today or in the future',
          input: slot.date,
        },
      ]);
    }
    try {
      const created = await inTransaction(this.dataSource, async (manager) => {
        const profile = await lockProfile(manager, profileId);
        if (!profile.isIdentityVerified) {
          throw new DomainError(
            'identity_not_verified',
            'Identity must be verified before creating availability slots',
          );
        }
        const unbooked = await manager.countBy(AvailabilityEntity, {
          mechanicId: profileId,
          isBooked: false,
        });
        if (unbooked >= MAX_UNBOOKED_SLOTS) {
          throw new DomainError(
            'slot_limit_reached',
            `Maximum ${MAX_UNBOOKED_SLOTS} unbooked availability slots allowed`,
          );
        }
        return manager.getRepository(AvailabilityEntity).save({
          mechanicId: profileId,
          date: slot.date,
          startTime: slot.start_time,
          endTime: slot.end_time,
          isBooked: false,
        });
      });
      this.logger.log({ event: 'availability_created', mechanic_id: profileId, availability_id: created.id });
      return availabilityResponse(created);
    } catch (error) {
      if (
        isExclusionViolation(error, 'ex_availabilities_no_overlap') ||
        isUniqueViolation(error, 'uq_availability_mechanic_date_time')
      ) {
        throw new DomainError('slot_overlap', 'This slot overlaps with an existing availability');
      }
      throw error;
    }
  }
}
