import { Command } from '@nestjs/cqrs';
import { type UploadedFile } from '../../../storage/upload-policy';

/** The profile's files a request may carry; each goes to its own column (identity §2.2-19…21). */
export interface ProfileFiles {
  identityDocument?: UploadedFile;
  selfieWithId?: UploadedFile;
  cv?: UploadedFile;
  photo?: UploadedFile;
}

export type StoredProfileFiles = { [K in keyof ProfileFiles]?: string };

export class UploadProfileFilesCommand extends Command<StoredProfileFiles> {
  constructor(
    readonly profileId: string,
    readonly files: ProfileFiles,
  ) {
    super();
  }
}
