import { createServer, type IncomingMessage, type Server } from 'node:http';
import { S3Storage } from '../../src/storage/s3-storage';

interface Recorded {
  method: string;
  url: string;
  contentType: string | undefined;
  body: Buffer;
}

/** The S3 PUT Object API as far as the SDK needs it: records each request, answers 200. */
async function fakeS3(): Promise<{ server: Server; endpoint: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        contentType: request.headers['content-type'],
        body: Buffer.concat(chunks),
      });
      response.writeHead(200, { ETag: '"etag"' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, endpoint: `http://127.0.0.1:${port}`, requests };
}

describe('S3Storage (R2)', () => {
  it('PUTs the object with its content type into the bucket and returns its public URL', async () => {
    const s3 = await fakeS3();
    try {
      const storage = new S3Storage({
        endpoint: s3.endpoint,
        accessKeyId: 'key',
        secretAccessKey: 'secret',
        bucket: 'emecano-storage',
        publicUrl: 'https://files.emecano.test',
      });
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
      const url = await storage.put('avatars/abc.png', bytes, 'image/png');

      expect(url).toBe('https://files.emecano.test/avatars/abc.png');
      expect(s3.requests).toHaveLength(1);
      expect(s3.requests[0]).toMatchObject({ method: 'PUT', contentType: 'image/png', body: bytes });
      expect(s3.requests[0].url.split('?')[0]).toBe('/emecano-storage/avatars/abc.png');
    } finally {
      s3.server.close();
    }
  });

  it('turns a stored URL of the bucket into a 900 s signed GET, leaves other URLs and null alone', async () => {
    const storage = new S3Storage({
      endpoint: 'http://127.0.0.1:9',
      accessKeyId: 'key',
      secretAccessKey: 'secret',
      bucket: 'emecano-storage',
      publicUrl: 'https://files.emecano.test',
    });
    const signed = new URL((await storage.temporaryUrl('https://files.emecano.test/identity/doc.pdf'))!);
    expect(signed.pathname).toBe('/emecano-storage/identity/doc.pdf');
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(signed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(await storage.temporaryUrl('https://elsewhere.test/x.png')).toBe('https://elsewhere.test/x.png');
    expect(await storage.temporaryUrl(null)).toBeNull();
  });
});
