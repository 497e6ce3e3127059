/** Where uploaded and generated files live: local disk in development, S3/R2 otherwise. */
export abstract class Storage {
  /** Stores `bytes` under `key` (`<folder>/<uuid>.<ext>`) and returns the URL to record. */
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<string>;

  /** The bytes of a file `put` stored, by the URL it returned (private files served by a route). */
  abstract read(storedUrl: string): Promise<Buffer>;

  /** A URL a client may use for a short while (900 s) to read a stored file; null stays null. */
  abstract temporaryUrl(storedUrl: string | null): Promise<string | null>;

  /** One page of the stored objects (the orphaned-file sweep, §7.11); `next` pages on. */
  abstract listObjects(continuationToken?: string): Promise<StoredObjectPage>;

  /** Deletes one object; deleting one that is gone already is not an error. */
  abstract deleteObject(key: string): Promise<void>;
}

export interface StoredObject {
  key: string;
  /** The URL `put` returned for it: what the database records. */
  url: string;
  lastModified: Date;
}

export interface StoredObjectPage {
  objects: StoredObject[];
  next?: string;
}

export const TEMPORARY_URL_SECONDS = 900;
