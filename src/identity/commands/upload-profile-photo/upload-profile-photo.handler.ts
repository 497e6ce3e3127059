import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { type Repository } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { FileUploads } from '../../../storage/file-uploads';
import { UserEntity } from '../../persistence/user.entity';
import { UploadProfilePhotoCommand } from './upload-profile-photo.command';

/** HEAD's `POST /auth/me/photo`: verified users only; a JPEG or PNG in `avatars`. */
@CommandHandler(UploadProfilePhotoCommand)
export class UploadProfilePhotoHandler implements ICommandHandler<UploadProfilePhotoCommand> {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly uploads: FileUploads,
  ) {}

  async execute({ user, file }: UploadProfilePhotoCommand): Promise<{ photo_url: string }> {
    if (!user.isVerified) {
      throw new DomainError(
        'email_not_verified',
        'Email verification required before uploading a profile photo.',
      );
    }
    const photoUrl = await this.uploads.store('avatars', file);
    await this.users.update({ id: user.id }, { photoUrl });
    return { photo_url: photoUrl };
  }
}
