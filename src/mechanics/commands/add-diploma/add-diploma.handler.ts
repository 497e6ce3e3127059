import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FileUploads } from '../../../storage/file-uploads';
import { diplomaResponse, type DiplomaResponse } from '../../http/mechanic.responses';
import { DiplomaEntity } from '../../persistence/diploma.entity';
import { AddDiplomaCommand } from './add-diploma.command';

/** POST /mechanics/me/diplomas: no limit on their number; the document is optional. */
@CommandHandler(AddDiplomaCommand)
export class AddDiplomaHandler implements ICommandHandler<AddDiplomaCommand> {
  private readonly logger = new Logger('Mechanics');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uploads: FileUploads,
  ) {}

  async execute({ profileId, name, year, document }: AddDiplomaCommand): Promise<DiplomaResponse> {
    const documentUrl = document ? await this.uploads.store('diplomas', document) : null;
    const diploma = await this.dataSource
      .getRepository(DiplomaEntity)
      .save({ mechanicId: profileId, name, year, documentUrl });
    this.logger.log({ event: 'diploma_created', mechanic_id: profileId, diploma_id: diploma.id });
    return diplomaResponse(diploma, 'owner');
  }
}
