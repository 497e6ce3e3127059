import { Command } from '@nestjs/cqrs';
import { type UploadedFile } from '../../../storage/upload-policy';
import { type DiplomaResponse } from '../../http/mechanic.responses';

export class AddDiplomaCommand extends Command<DiplomaResponse> {
  constructor(
    readonly profileId: string,
    readonly name: string,
    readonly year: number | null,
    readonly document: UploadedFile | undefined,
  ) {
    super();
  }
}
