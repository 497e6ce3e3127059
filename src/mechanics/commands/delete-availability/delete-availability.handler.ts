import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { AvailabilityEntity } from '../../persistence/availability.entity';
import { DeleteAvailabilityCommand } from './delete-availability.command';

/**
 * DELETE /mechanics/availabilities/{id}: the slot row is locked first, so a booking taking it at the
 * same moment either wins (409 here) or finds it gone. Another mechanic's slot is "not found".
 */
@CommandHandler(DeleteAvailabilityCommand)
export class DeleteAvailabilityHandler implements ICommandHandler<DeleteAvailabilityCommand> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ profileId, availabilityId }: DeleteAvailabilityCommand): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const slot = await manager.getRepository(AvailabilityEntity).findOne({
        where: { id: availabilityId, mechanicId: profileId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!slot) throw new DomainError('availability_not_found', 'Availability not found');
      if (slot.isBooked) throw new DomainError('slot_booked', 'Cannot delete a booked slot');
      await manager.delete(AvailabilityEntity, slot.id);
    });
  }
}
