/** Where uploaded and generated files live: local disk in development, S3/R2 otherwise. */
export abstract class Storage {
  /** Stores `bytes` under `key` (`<folder>/<uuid>.<ext>`) and returns the URL to record. */
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<string>;

  /** A URL a client may use for a short while (900 s) to read a stored file; null stays null. */
  abstract temporaryUrl(storedUrl: string | null): Promise<string | null>;
}

export const TEMPORARY_URL_SECONDS = 900;
