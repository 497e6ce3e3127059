import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Storage, type StoredObjectPage } from './storage';

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

  async read(storedUrl: string): Promise<Buffer> {
    const path = resolve(this.root, storedUrl.slice(LOCAL_URL_PREFIX.length));
    if (!storedUrl.startsWith(LOCAL_URL_PREFIX) || !path.startsWith(this.root + sep))
      throw new Error(`Not a stored file of ${this.root}: ${storedUrl}`);
    return await readFile(path);
  }

  temporaryUrl(storedUrl: string | null): Promise<string | null> {
    return Promise.resolve(storedUrl);
  }

  /** The whole directory in one page: development volumes are small. */
  async listObjects(): Promise<StoredObjectPage> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)),
    );
    const objects = await Promise.all(
      entries
        .filter((entry) => entry.isFile())
        .map(async (entry) => {
          const path = join(entry.parentPath, entry.name);
          const key = relative(this.root, path).split(sep).join('/');
          return { key, url: `${LOCAL_URL_PREFIX}${key}`, lastModified: (await stat(path)).mtime };
        }),
    );
    return { objects };
  }

  async deleteObject(key: string): Promise<void> {
    await rm(join(this.root, key), { force: true });
  }
}
