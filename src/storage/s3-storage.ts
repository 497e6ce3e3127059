import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Storage, type StoredObjectPage, TEMPORARY_URL_SECONDS } from './storage';

export interface S3StorageOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  publicUrl: string;
}

/** S3-compatible storage (Cloudflare R2): one shared client; private files read through signed URLs. */
export class S3Storage extends Storage {
  private readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    super();
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: 'auto',
      forcePathStyle: true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    });
  }

  async read(storedUrl: string): Promise<Buffer> {
    const prefix = `${this.options.publicUrl}/`;
    if (!storedUrl.startsWith(prefix)) throw new Error(`Not a file of this bucket: ${storedUrl}`);
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.options.bucket, Key: storedUrl.slice(prefix.length) }),
    );
    return Buffer.from(await (object.Body?.transformToByteArray() ?? new Uint8Array()));
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<string> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: bytes, ContentType: contentType }),
    );
    return this.urlOf(key);
  }

  /** A stored URL of this bucket becomes a 900 s signed GET; anything else is returned unchanged. */
  async temporaryUrl(storedUrl: string | null): Promise<string | null> {
    const prefix = `${this.options.publicUrl}/`;
    if (!storedUrl?.startsWith(prefix)) return storedUrl;
    const key = storedUrl.slice(prefix.length);
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.options.bucket, Key: key }), {
      expiresIn: TEMPORARY_URL_SECONDS,
    });
  }

  async listObjects(continuationToken?: string): Promise<StoredObjectPage> {
    const page = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.options.bucket, ContinuationToken: continuationToken }),
    );
    const objects = (page.Contents ?? []).flatMap(({ Key, LastModified }) =>
      Key && LastModified ? [{ key: Key, url: this.urlOf(Key), lastModified: LastModified }] : [],
    );
    return { objects, next: page.IsTruncated ? page.NextContinuationToken : undefined };
  }

  async deleteObject(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  private urlOf(key: string): string {
    return `${this.options.publicUrl}/${key}`;
  }
}
