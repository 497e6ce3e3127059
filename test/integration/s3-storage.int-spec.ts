import { S3Storage } from '../../src/storage/s3-storage';
import { FakeS3 } from '../support/fake-s3';

/** The storage as production configures it, against `endpoint`. */
const storageAt = (endpoint: string) =>
  new S3Storage({
    endpoint,
    accessKeyId: 'key',
    secretAccessKey: 'secret',
    bucket: 'emecano-storage',
    publicUrl: 'https://files.emecano.test',
  });

describe('S3Storage (R2)', () => {
  const s3 = new FakeS3();
  beforeAll(() => s3.start());
  afterAll(() => s3.close());
  beforeEach(() => s3.reset());

  it('PUTs the object with its content type into the bucket and returns its public URL', async () => {
    const storage = storageAt(s3.endpoint);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const url = await storage.put('avatars/abc.png', bytes, 'image/png');

    expect(url).toBe('https://files.emecano.test/avatars/abc.png');
    expect(s3.requests).toEqual([
      { operation: 'PutObject', bucket: 'emecano-storage', key: 'avatars/abc.png' },
    ]);
    expect(s3.object('emecano-storage', 'avatars/abc.png')).toMatchObject({
      body: bytes,
      contentType: 'image/png',
    });

    // The 900 s signed link reads it back (GetObject).
    const read = await fetch((await storage.temporaryUrl(url))!);
    expect(read.status).toBe(200);
    expect(Buffer.from(await read.arrayBuffer())).toEqual(bytes);
  });

  it('reads back the bytes of a file it stored, by the URL it returned (the private report route)', async () => {
    const storage = storageAt(s3.endpoint);
    const pdf = Buffer.from('%PDF-1.7\nreport');
    const url = await storage.put('reports/abc.pdf', pdf, 'application/pdf');

    expect((await storage.read(url)).equals(pdf)).toBe(true);
    expect(s3.requests.map((request) => request.operation)).toEqual(['PutObject', 'GetObject']);
    await expect(storage.read('https://elsewhere.test/reports/abc.pdf')).rejects.toThrow(/Not a file/);
  });

  it('turns a stored URL of the bucket into a 900 s signed GET, leaves other URLs and null alone', async () => {
    const storage = storageAt('http://127.0.0.1:9');
    const signed = new URL((await storage.temporaryUrl('https://files.emecano.test/identity/doc.pdf'))!);
    expect(signed.pathname).toBe('/emecano-storage/identity/doc.pdf');
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(signed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(await storage.temporaryUrl('https://elsewhere.test/x.png')).toBe('https://elsewhere.test/x.png');
    expect(await storage.temporaryUrl(null)).toBeNull();
  });
});
