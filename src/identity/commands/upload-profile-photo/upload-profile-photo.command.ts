import { Command } from '@nestjs/cqrs';
import { type UploadedFile } from '../../../storage/upload-policy';
import { type UserEntity } from '../../persistence/user.entity';

export class UploadProfilePhotoCommand extends Command<{ photo_url: string }> {
  constructor(
    readonly user: UserEntity,
    readonly file: UploadedFile,
  ) {
    super();
  }
}
