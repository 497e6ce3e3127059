import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Storage } from './storage';
import { checkUpload, type UploadedFile, type UploadFolder } from './upload-policy';

/** Validates an uploaded file (identity §2.5) and stores it under a random name in its folder. */
@Injectable()
export class FileUploads {
  private readonly logger = new Logger('Storage');

  constructor(private readonly storage: Storage) {}

  async store(folder: UploadFolder, file: UploadedFile): Promise<string> {
    const [url] = await this.storeAll([{ folder, file }]);
    return url;
  }

  /**
   * Several files of one request: every file is checked before any is stored, so a request with one
   * bad file stores nothing (and its handler records nothing). URLs come back in the given order.
   */
  async storeAll(uploads: readonly { folder: UploadFolder; file: UploadedFile }[]): Promise<string[]> {
    const checked = uploads.map(({ folder, file }) => ({ folder, upload: checkUpload(folder, file) }));
    return Promise.all(
      checked.map(async ({ folder, upload }) => {
        const key = `${folder}/${randomUUID()}.${upload.extension}`;
        const url = await this.storage.put(key, upload.bytes, upload.contentType);
        this.logger.log({ event: 'file_uploaded', key });
        return url;
      }),
    );
  }
}
