import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { useTestApp } from '../support/test-app-context';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);
const PDF = Buffer.from('%PDF-1.7\n%...');

describe('POST /auth/me/photo and dev storage (identity §10, §2.5)', () => {
  const ctx = useTestApp();

  async function tokenFor(options: { isVerified?: boolean } = {}) {
    const user = await createUser(ctx.testApp.dataSource, options);
    return { user, token: forgeToken({ sub: user.id }) };
  }

  const upload = (token: string, field: string, bytes: Buffer, filename: string, contentType: string) =>
    ctx.testApp.http
      .post('/auth/me/photo')
      .set(bearer(token))
      .set('X-Forwarded-For', newIp())
      .attach(field, bytes, { filename, contentType });

  it('stores a PNG in avatars, records photo_url and serves it back to an authenticated user', async () => {
    const { user, token } = await tokenFor();
    const response = await upload(token, 'photo', PNG, 'me.png', 'image/png');

    expect(response.status).toBe(200);
    expect(response.body.photo_url).toMatch(/^\/uploads\/avatars\/[0-9a-f-]{36}\.png$/);
    const [row] = await ctx.testApp.dataSource.query('SELECT photo_url FROM users WHERE id = $1', [user.id]);
    expect(row.photo_url).toBe(response.body.photo_url);
    const me = await ctx.testApp.http.get('/auth/me').set(bearer(token)).set('X-Forwarded-For', newIp());
    expect(me.body.photo_url).toBe(response.body.photo_url);

    const stored = resolve(ctx.testApp.config.STORAGE_DIR, response.body.photo_url.slice('/uploads/'.length));
    expect(await readFile(stored)).toEqual(PNG);
    const served = await ctx.testApp.http.get(response.body.photo_url).set(bearer(token)).buffer(true);
    expect(served.status).toBe(200);
    expect(Buffer.from(served.body as Buffer)).toEqual(PNG);
    expect((await ctx.testApp.http.get(response.body.photo_url)).status).toBe(403);
  });

  it('refuses an unverified user with 403', async () => {
    const { token } = await tokenFor({ isVerified: false });
    expectDomainError(
      await upload(token, 'photo', PNG, 'me.png', 'image/png'),
      403,
      'Email verification required before uploading a profile photo.',
      'email_not_verified',
    );
  });

  it('answers 422 when the photo part is missing', async () => {
    const { token } = await tokenFor();
    const response = await ctx.testApp.http
      .post('/auth/me/photo')
      .set(bearer(token))
      .set('X-Forwarded-For', newIp())
      .field('caption', 'no file here');
    expect(response.status).toBe(422);
    expect(response.body.detail).toEqual([
      { type: 'missing', loc: ['body', 'photo'], msg: 'Field required', input: null },
    ]);
  });

  it('N17: refuses a PDF as a profile photo, and mislabeled content, with 400 and nothing stored', async () => {
    const { user, token } = await tokenFor();
    expectDomainError(
      await upload(token, 'photo', PDF, 'me.pdf', 'application/pdf'),
      400,
      'File type application/pdf not allowed. Use JPEG or PNG.',
      'invalid_upload',
    );
    expectDomainError(
      await upload(token, 'photo', PDF, 'me.png', 'image/png'),
      400,
      'File content does not match declared type image/png. The file may be corrupted or mislabeled.',
      'invalid_upload',
    );
    const [row] = await ctx.testApp.dataSource.query('SELECT photo_url FROM users WHERE id = $1', [user.id]);
    expect(row.photo_url).toBeNull();
  });

  it('refuses a file over 5 MB with 400 "File too large"', async () => {
    const { token } = await tokenFor();
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    expectDomainError(
      await upload(token, 'photo', big, 'big.png', 'image/png'),
      400,
      'File too large. Maximum size is 5 MB.',
      'invalid_upload',
    );
  });

  it('takes up to 50 text fields with an upload, and refuses a 51st with 400', async () => {
    const { token } = await tokenFor();
    const withFields = (count: number) => {
      let form = ctx.testApp.http.post('/auth/me/photo').set(bearer(token)).set('X-Forwarded-For', newIp());
      for (let n = 0; n < count; n++) form = form.field(`field_${n}`, 'x');
      return form.attach('photo', PNG, { filename: 'me.png', contentType: 'image/png' });
    };

    expect((await withFields(50)).status).toBe(200);
    const refused = await withFields(51);
    expect({ status: refused.status, body: refused.body }).toEqual({
      status: 400,
      body: { detail: 'Too many fields', request_id: expect.any(String) },
    });
  });

  it('N28: the file route refuses path traversal and never serves personal documents', async () => {
    const { token } = await tokenFor();
    const traversal = await ctx.testApp.http
      .get('/uploads/avatars/..%2F..%2F..%2Fpackage.json')
      .set(bearer(token));
    expect(traversal.status).toBe(400);
    expect(traversal.body.detail).toBe('Invalid path');

    const identity = join(ctx.testApp.config.STORAGE_DIR, 'identity');
    await mkdir(identity, { recursive: true });
    await writeFile(join(identity, 'doc.png'), PNG);
    const sensitive = await ctx.testApp.http.get('/uploads/identity/doc.png').set(bearer(token));
    expect(sensitive.status).toBe(404);
    expect(sensitive.body.detail).toBe('File not found');
    expect((await ctx.testApp.http.get('/uploads/avatars/missing.png').set(bearer(token))).status).toBe(404);
  });
});
