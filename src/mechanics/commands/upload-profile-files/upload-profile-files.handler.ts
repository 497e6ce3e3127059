import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { FileUploads } from '../../../storage/file-uploads';
import { type UploadFolder } from '../../../storage/upload-policy';
import { lockProfile } from '../../persistence/profile.locks';
import {
  type ProfileFiles,
  type StoredProfileFiles,
  UploadProfileFilesCommand,
} from './upload-profile-files.command';

const FOLDERS: Record<keyof ProfileFiles, UploadFolder> = {
  identityDocument: 'identity',
  selfieWithId: 'identity',
  cv: 'cv',
  photo: 'avatars',
};

/**
 * The identity papers, CV and photo of a profile. Every file is checked before any is stored and
 * the row changes only once all are stored, so a request with one bad file changes nothing (MECH-21).
 * New identity papers withdraw an earlier approval: an admin must look at them again.
 */
@CommandHandler(UploadProfileFilesCommand)
export class UploadProfileFilesHandler implements ICommandHandler<UploadProfileFilesCommand> {
  private readonly logger = new Logger('Mechanics');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uploads: FileUploads,
  ) {}

  async execute({ profileId, files }: UploadProfileFilesCommand): Promise<StoredProfileFiles> {
    const given = (Object.keys(FOLDERS) as (keyof ProfileFiles)[]).filter((kind) => files[kind]);
    const urls = await this.uploads.storeAll(
      given.map((kind) => ({ folder: FOLDERS[kind], file: files[kind]! })),
    );
    const stored: StoredProfileFiles = Object.fromEntries(given.map((kind, index) => [kind, urls[index]]));
    await inTransaction(this.dataSource, async (manager) => {
      const profile = await lockProfile(manager, profileId);
      if (stored.identityDocument) {
        profile.identityDocumentUrl = stored.identityDocument;
        profile.isIdentityVerified = false;
      }
      if (stored.selfieWithId) profile.selfieWithIdUrl = stored.selfieWithId;
      if (stored.cv) {
        profile.cvUrl = stored.cv;
        profile.hasCv = true;
      }
      if (stored.photo) profile.photoUrl = stored.photo;
      await manager.save(profile);
    });
    if (stored.identityDocument)
      this.logger.log({ event: 'identity_documents_uploaded', mechanic_id: profileId });
    return stored;
  }
}
