import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MechanicFileReferences } from '../../src/mechanics/persistence/mechanic-file-references';
import { JobRunner } from '../../src/scheduling/job-runner';
import { counterValue } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { createUser } from '../support/factories';
import { FAKE_S3_BUCKET, FAKE_S3_PUBLIC_URL, FakeS3 } from '../support/fake-s3';
import { createMechanic } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const NOW = new Date('2026-11-22T03:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 3_600_000);
const urlOf = (key: string) => `${FAKE_S3_PUBLIC_URL}/${key}`;

describe('detect_orphaned_files (bookings-payments §7.11) against a fake S3', () => {
  const clock = new FixedClock(NOW);
  // Two keys per page: every run below walks several ListObjectsV2 pages.
  const s3 = new FakeS3(2);
  beforeAll(() => s3.start());
  const ctx = useTestApp({ clock, env: () => s3.env });
  afterAll(() => s3.close());

  const runSweep = () => ctx.testApp.app.get(JobRunner).run('detect_orphaned_files');

  beforeEach(() => s3.reset());

  it('JOB-23: deletes only the unreferenced object older than 7 days; referenced and recent keys stay', async () => {
    const referenced = [
      'avatars/user-photo.jpg',
      'identity/id-card.pdf',
      'identity/selfie.jpg',
      'cv/cv.pdf',
      'avatars/mechanic-photo.png',
      'diplomas/cap.pdf',
    ];
    for (const key of [...referenced, 'old.jpg']) s3.putObject(FAKE_S3_BUCKET, key, daysAgo(10));
    s3.putObject(FAKE_S3_BUCKET, 'recent.jpg', daysAgo(2));
    const buyer = await createUser(ctx.testApp.dataSource);
    await ctx.testApp.dataSource.query('UPDATE users SET photo_url = $2 WHERE id = $1', [
      buyer.id,
      urlOf('avatars/user-photo.jpg'),
    ]);
    const mechanic = await createMechanic(ctx.testApp.dataSource, {
      identityDocumentUrl: urlOf('identity/id-card.pdf'),
      selfieWithIdUrl: urlOf('identity/selfie.jpg'),
      cvUrl: urlOf('cv/cv.pdf'),
    });
    await ctx.testApp.dataSource.query('UPDATE mechanic_profiles SET photo_url = $2 WHERE id = $1', [
      mechanic.profileId,
      urlOf('avatars/mechanic-photo.png'),
    ]);
    await ctx.testApp.dataSource.query(
      `INSERT INTO diplomas (mechanic_id, name, document_url) VALUES ($1, 'CAP', $2)`,
      [mechanic.profileId, urlOf('diplomas/cap.pdf')],
    );

    expect(await runSweep()).toBe(1);

    expect(s3.requests.filter((request) => request.operation === 'DeleteObject')).toEqual([
      { operation: 'DeleteObject', bucket: FAKE_S3_BUCKET, key: 'old.jpg' },
    ]);
    expect(s3.keys(FAKE_S3_BUCKET)).toEqual([...referenced, 'recent.jpg'].sort());
    expect(s3.count('ListObjectsV2')).toBe(4);
  });

  it('JOB-23: an empty bucket costs one listing: no database scan, no deletes', async () => {
    const scan = jest.spyOn(ctx.testApp.app.get(MechanicFileReferences), 'referencedAmong');
    try {
      expect(await runSweep()).toBe(0);
      expect(scan).not.toHaveBeenCalled();
      expect(s3.count('ListObjectsV2')).toBe(1);
      expect(s3.count('DeleteObject')).toBe(0);
    } finally {
      scan.mockRestore();
    }
  });

  it('JOB-23 [FAULT]: a listing error deletes nothing and counts the run as an error', async () => {
    s3.putObject(FAKE_S3_BUCKET, 'old.jpg', daysAgo(10));
    s3.refuse('ListObjectsV2');
    const errors = await counterValue('emecano_scheduler_job_runs_total', {
      job_name: 'detect_orphaned_files',
      status: 'error',
    });

    await expect(runSweep()).rejects.toThrow();

    expect(s3.count('DeleteObject')).toBe(0);
    expect(s3.keys(FAKE_S3_BUCKET)).toEqual(['old.jpg']);
    expect(
      await counterValue('emecano_scheduler_job_runs_total', {
        job_name: 'detect_orphaned_files',
        status: 'error',
      }),
    ).toBe(errors + 1);
  });

  it('JOB-23: files uploaded through the storage driver are found by the sweep under the URL it returned', async () => {
    const storage = ctx.testApp.app.get(MechanicFileReferences);
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const upload = await ctx.testApp.http
      .post('/mechanics/me/cv')
      .set('Authorization', `Bearer ${mechanic.token}`)
      .attach('cv', Buffer.from('%PDF-1.4 test'), { filename: 'cv.pdf', contentType: 'application/pdf' });
    expect(upload.status).toBe(200);
    const [{ cv_url }] = await ctx.testApp.dataSource.query(
      'SELECT cv_url FROM mechanic_profiles WHERE id = $1',
      [mechanic.profileId],
    );
    expect(await storage.referencedAmong([cv_url])).toEqual(new Set([cv_url]));

    clock.set(new Date(NOW.getTime() + 30 * 24 * 3_600_000));
    try {
      expect(await runSweep()).toBe(0);
    } finally {
      clock.set(NOW);
    }
    expect(s3.count('DeleteObject')).toBe(0);
  });
});

describe('detect_orphaned_files on the development storage (STORAGE_DIR)', () => {
  const clock = new FixedClock(NOW);
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'emecano-sweep-'));
  });
  const ctx = useTestApp({ clock, env: () => ({ STORAGE_DIR: directory }) });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  async function file(key: string, modified: Date): Promise<void> {
    const path = join(directory, key);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, 'file');
    await utimes(path, modified, modified);
  }

  it('JOB-23: deletes the old unreferenced file of the directory, keeps the referenced and the recent ones', async () => {
    await file('avatars/kept.jpg', daysAgo(10));
    await file('avatars/orphan.jpg', daysAgo(10));
    await file('cv/recent.pdf', daysAgo(2));
    const user = await createUser(ctx.testApp.dataSource);
    await ctx.testApp.dataSource.query('UPDATE users SET photo_url = $2 WHERE id = $1', [
      user.id,
      '/uploads/avatars/kept.jpg',
    ]);

    expect(await ctx.testApp.app.get(JobRunner).run('detect_orphaned_files')).toBe(1);

    expect((await readdir(directory, { recursive: true })).sort()).toEqual(
      ['avatars', join('avatars', 'kept.jpg'), 'cv', join('cv', 'recent.pdf')].sort(),
    );
  });
});
