import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { DiplomaEntity } from '../../persistence/diploma.entity';
import { DeleteDiplomaCommand } from './delete-diploma.command';

/** Another mechanic's diploma is "not found", so ids cannot be probed. */
@CommandHandler(DeleteDiplomaCommand)
export class DeleteDiplomaHandler implements ICommandHandler<DeleteDiplomaCommand> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ profileId, diplomaId }: DeleteDiplomaCommand): Promise<void> {
    const result = await this.dataSource
      .getRepository(DiplomaEntity)
      .delete({ id: diplomaId, mechanicId: profileId });
    if (!result.affected) throw new DomainError('diploma_not_found', 'Diploma not found');
  }
}
