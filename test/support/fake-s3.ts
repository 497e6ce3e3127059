import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type S3Operation = 'PutObject' | 'GetObject' | 'ListObjectsV2' | 'DeleteObject';

export interface S3Request {
  operation: S3Operation;
  bucket: string;
  key: string;
}

interface StoredObject {
  body: Buffer;
  contentType: string;
  lastModified: Date;
}

export const FAKE_S3_BUCKET = 'emecano-storage';
export const FAKE_S3_PUBLIC_URL = 'https://files.emecano.test';

const xmlEscape = (value: string) => value.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * S3 at the HTTP boundary, as far as our storage driver and the orphaned-file sweep use it:
 * PutObject, GetObject, ListObjectsV2 (LastModified, pagination by continuation token) and
 * DeleteObject, path-style, driven by the real @aws-sdk/client-s3 through R2_ENDPOINT_URL. It
 * records every request, lets a test date objects in the past, and can refuse an operation.
 */
export class FakeS3 {
  readonly requests: S3Request[] = [];
  private readonly objects = new Map<string, StoredObject>();
  private readonly refused = new Set<S3Operation>();
  private readonly server: Server = createServer((request, response) => this.handle(request, response));
  private port = 0;

  /** `pageSize`: at most this many keys per ListObjectsV2 page, to exercise pagination. */
  constructor(private readonly pageSize = 1_000) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** For R2_ENDPOINT_URL. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The R2_* variables that point the storage driver here. */
  get env(): Record<string, string> {
    return {
      R2_ENDPOINT_URL: this.endpoint,
      R2_ACCESS_KEY_ID: 'fake-s3-key',
      R2_SECRET_ACCESS_KEY: 'fake-s3-secret',
      R2_BUCKET_NAME: FAKE_S3_BUCKET,
      R2_PUBLIC_URL: FAKE_S3_PUBLIC_URL,
    };
  }

  /** Seeds an object as if uploaded at `lastModified`. */
  putObject(bucket: string, key: string, lastModified: Date, body = Buffer.from('file')): void {
    this.objects.set(`${bucket}/${key}`, { body, contentType: 'application/octet-stream', lastModified });
  }

  object(bucket: string, key: string): { body: Buffer; contentType: string } | undefined {
    return this.objects.get(`${bucket}/${key}`);
  }

  keys(bucket: string): string[] {
    const prefix = `${bucket}/`;
    return [...this.objects.keys()]
      .filter((path) => path.startsWith(prefix))
      .map((path) => path.slice(prefix.length))
      .sort();
  }

  /** Answers `operation` with 403 AccessDenied (which the SDK does not retry) until `allow`. */
  refuse(operation: S3Operation): void {
    this.refused.add(operation);
  }

  allow(operation: S3Operation): void {
    this.refused.delete(operation);
  }

  count(operation: S3Operation): number {
    return this.requests.filter((request) => request.operation === operation).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.objects.clear();
    this.refused.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake-s3');
      const [bucket, ...keyParts] = url.pathname.slice(1).split('/');
      const key = decodeURIComponent(keyParts.join('/'));
      const operation = operationOf(request.method ?? '', key);
      if (!operation) return void response.writeHead(405).end();
      this.requests.push({ operation, bucket, key });
      if (this.refused.has(operation)) return void this.error(response, 403, 'AccessDenied');
      const path = `${bucket}/${key}`;
      switch (operation) {
        case 'PutObject':
          this.objects.set(path, {
            body: Buffer.concat(chunks),
            contentType: request.headers['content-type'] ?? 'application/octet-stream',
            lastModified: new Date(),
          });
          return void response.writeHead(200, { ETag: '"etag"' }).end();
        case 'GetObject': {
          const object = this.objects.get(path);
          if (!object) return void this.error(response, 404, 'NoSuchKey');
          return void response
            .writeHead(200, {
              'Content-Type': object.contentType,
              'Content-Length': object.body.length,
              'Last-Modified': object.lastModified.toUTCString(),
            })
            .end(object.body);
        }
        case 'DeleteObject':
          this.objects.delete(path);
          return void response.writeHead(204).end();
        case 'ListObjectsV2':
          return void this.list(response, bucket, url.searchParams);
      }
    });
  }

  private list(response: ServerResponse, bucket: string, query: URLSearchParams): void {
    const after = query.get('continuation-token');
    const maxKeys = Math.min(Number(query.get('max-keys') ?? 1_000), this.pageSize);
    const keys = this.keys(bucket).filter(
      (key) => !after || key > Buffer.from(after, 'base64url').toString(),
    );
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page
      .map((key) => {
        const object = this.objects.get(`${bucket}/${key}`)!;
        return `<Contents><Key>${xmlEscape(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>"etag"</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated
      ? `<NextContinuationToken>${Buffer.from(page[page.length - 1]).toString('base64url')}</NextContinuationToken>`
      : '';
    response
      .writeHead(200, { 'Content-Type': 'application/xml' })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><Prefix></Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${contents}</ListBucketResult>`,
      );
  }

  private error(response: ServerResponse, status: number, code: string): void {
    response
      .writeHead(status, { 'Content-Type': 'application/xml' })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
      );
  }
}

function operationOf(method: string, key: string): S3Operation | undefined {
  if (method === 'PUT' && key) return 'PutObject';
  if (method === 'GET' && key) return 'GetObject';
  if (method === 'GET') return 'ListObjectsV2';
  if (method === 'DELETE' && key) return 'DeleteObject';
  return undefined;
}
