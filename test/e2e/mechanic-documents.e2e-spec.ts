import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 2),
]);
const PDF = Buffer.from('%PDF-1.7\n%...');
const jpeg = { filename: 'doc.jpg', contentType: 'image/jpeg' };

describe('Mechanics: documents, photo, CV and private files (identity §2.2-19…22, §2.5, §7.6)', () => {
  const ctx = useTestApp();

  const post = (path: string, token: string) =>
    ctx.testApp.http.post(path).set('X-Forwarded-For', newIp()).set(bearer(token));
  const download = (url: string, token: string) =>
    ctx.testApp.http.get(url).set('X-Forwarded-For', newIp()).set(bearer(token)).buffer(true);
  const documentsOf = async (profileId: string) =>
    (
      await ctx.testApp.dataSource.query(
        `SELECT identity_document_url, selfie_with_id_url, cv_url, has_cv, is_identity_verified, photo_url
           FROM mechanic_profiles WHERE id = $1`,
        [profileId],
      )
    )[0];

  it('MECH-20: uploads identity papers (and a CV), withdrawing an earlier approval', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const response = await post('/mechanics/me/identity', mechanic.token)
      .attach('identity_document', JPEG, jpeg)
      .attach('selfie_with_id', JPEG, jpeg)
      .attach('cv', PDF, { filename: 'cv.pdf', contentType: 'application/pdf' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'uploaded',
      message: 'Documents uploaded. Awaiting admin verification.',
    });
    const stored = await documentsOf(mechanic.profileId);
    expect(stored).toMatchObject({
      identity_document_url: expect.stringMatching(/^\/uploads\/identity\/[0-9a-f-]{36}\.jpg$/),
      selfie_with_id_url: expect.stringMatching(/^\/uploads\/identity\/[0-9a-f-]{36}\.jpg$/),
      cv_url: expect.stringMatching(/^\/uploads\/cv\/[0-9a-f-]{36}\.pdf$/),
      has_cv: true,
      is_identity_verified: false,
    });
  });

  it('MECH-21: an invalid file is a 400 and the request changes nothing (atomic)', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource, {
      isIdentityVerified: false,
      isActive: false,
    });
    const before = await documentsOf(mechanic.profileId);
    // (a) declared PDF, not a PDF
    expectDomainError(
      await post('/mechanics/me/identity', mechanic.token)
        .attach('identity_document', JPEG, { filename: 'id.pdf', contentType: 'application/pdf' })
        .attach('selfie_with_id', JPEG, jpeg),
      400,
      'File content does not match declared type application/pdf. The file may be corrupted or mislabeled.',
      'invalid_upload',
    );
    // (b) valid papers, invalid CV: the papers are not recorded either
    expectDomainError(
      await post('/mechanics/me/identity', mechanic.token)
        .attach('identity_document', JPEG, jpeg)
        .attach('selfie_with_id', JPEG, jpeg)
        .attach('cv', Buffer.from('not a pdf'), { filename: 'cv.pdf', contentType: 'application/pdf' }),
      400,
      'File content does not match declared type application/pdf. The file may be corrupted or mislabeled.',
      'invalid_upload',
    );
    // (c) over 5 MB
    expectDomainError(
      await post('/mechanics/me/identity', mechanic.token)
        .attach('identity_document', Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024)]), jpeg)
        .attach('selfie_with_id', JPEG, jpeg),
      400,
      'File too large. Maximum size is 5 MB.',
      'invalid_upload',
    );
    // (d) a type outside the whitelist
    expectDomainError(
      await post('/mechanics/me/identity', mechanic.token)
        .attach('identity_document', Buffer.from('PK\u0003\u0004'), {
          filename: 'id.zip',
          contentType: 'application/zip',
        })
        .attach('selfie_with_id', JPEG, jpeg),
      400,
      'File type application/zip not allowed. Use JPEG, PNG or PDF.',
      'invalid_upload',
    );
    const missing = await post('/mechanics/me/identity', mechanic.token).attach(
      'identity_document',
      JPEG,
      jpeg,
    );
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([
      { type: 'missing', loc: ['body', 'selfie_with_id'], msg: 'Field required', input: null },
    ]);
    expect(await documentsOf(mechanic.profileId)).toEqual(before);
  });

  it('sets the public photo (pictures only) and the CV', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const photo = await post('/mechanics/me/photo', mechanic.token).attach('photo', PNG, {
      filename: 'me.png',
      contentType: 'image/png',
    });
    expect(photo.status).toBe(200);
    expect(photo.body.photo_url).toMatch(/^\/uploads\/avatars\/[0-9a-f-]{36}\.png$/);
    const pdfPhoto = await post('/mechanics/me/photo', mechanic.token).attach('photo', PDF, {
      filename: 'me.pdf',
      contentType: 'application/pdf',
    });
    expect(pdfPhoto.status).toBe(400);

    const cv = await post('/mechanics/me/cv', mechanic.token).attach('cv', PDF, {
      filename: 'cv.pdf',
      contentType: 'application/pdf',
    });
    expect(cv.status).toBe(200);
    expect(cv.body).toEqual({
      cv_url: expect.stringMatching(/^\/uploads\/cv\/[0-9a-f-]{36}\.pdf$/),
      has_cv: true,
    });
    expect(await documentsOf(mechanic.profileId)).toMatchObject({
      photo_url: photo.body.photo_url,
      cv_url: cv.body.cv_url,
      has_cv: true,
    });
    const me = await ctx.testApp.http
      .get('/auth/me')
      .set('X-Forwarded-For', newIp())
      .set(bearer(mechanic.token));
    expect(me.body.mechanic_profile).toMatchObject({ photo_url: photo.body.photo_url, has_cv: true });
    expect(JSON.stringify(me.body)).not.toContain('/uploads/cv/');
  });

  it('stores a diploma document, shown to its owner only', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const response = await post('/mechanics/me/diplomas', mechanic.token)
      .field('name', 'CAP')
      .attach('document', PDF, { filename: 'cap.pdf', contentType: 'application/pdf' });
    expect(response.status).toBe(201);
    expect(response.body.document_url).toMatch(/^\/uploads\/diplomas\/[0-9a-f-]{36}\.pdf$/);
    const bad = await post('/mechanics/me/diplomas', mechanic.token)
      .field('name', 'CAP')
      .attach('document', JPEG, { filename: 'cap.pdf', contentType: 'application/pdf' });
    expect(bad.status).toBe(400);
  });

  it('N28: identity papers and CVs are served to their owner and to admins only', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    await post('/mechanics/me/identity', mechanic.token)
      .attach('identity_document', JPEG, jpeg)
      .attach('selfie_with_id', JPEG, jpeg)
      .attach('cv', PDF, { filename: 'cv.pdf', contentType: 'application/pdf' });
    const { identity_document_url: papers, cv_url: cv } = await documentsOf(mechanic.profileId);
    const admin = forgeToken({ sub: (await createUser(ctx.testApp.dataSource, { role: 'admin' })).id });
    const buyer = forgeToken({ sub: (await createUser(ctx.testApp.dataSource)).id });
    const otherMechanic = await createMechanic(ctx.testApp.dataSource);

    for (const [url, bytes] of [
      [papers, JPEG],
      [cv, PDF],
    ] as const) {
      for (const token of [mechanic.token, admin]) {
        const served = await download(url, token);
        expect(served.status).toBe(200);
        expect(Buffer.from(served.body as Buffer)).toEqual(bytes);
      }
      for (const token of [buyer, otherMechanic.token]) {
        expectDomainError(await download(url, token), 404, 'File not found', 'not_found');
      }
    }
    expect((await ctx.testApp.http.get(papers)).status).toBe(403);
  });
});
