import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Storage } from './storage';

export const LOCAL_URL_PREFIX = '/uploads/';

/**
 * Development storage (no R2 configured): files under STORAGE_DIR, addressed as `/uploads/<key>`
 * and served by the uploads controller to authenticated users.
 */
export class LocalStorage extends Storage {
  readonly root: string;

  constructor(directory: string) {
    super();
    this.root = resolve(directory);
  }

  async put(key: string, bytes: Buffer): Promise<string> {
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    return `${LOCAL_URL_PREFIX}${key}`;
  }

  temporaryUrl(storedUrl: string | null): Promise<string | null> {
    return Promise.resolve(storedUrl);
  }
}
