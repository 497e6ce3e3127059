import Redis from 'ioredis';
import { jobLockKey } from '../../src/scheduling/job-lock';
import { JobRunner } from '../../src/scheduling/job-runner';
import { type TestApp } from '../support/app';
import { testConfig } from '../support/config';
import { FAKE_S3_BUCKET, FakeS3 } from '../support/fake-s3';
import {
  CONCURRENT_JOB,
  ConcurrentJob,
  GATED_JOB,
  GatedJob,
  GatedJobModule,
} from '../support/fixtures/gated-job.module';
import { useTestDatabase } from '../support/test-app-context';

const redisUrl = process.env.REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;

describe('the scheduler lock scheduler_lock:<job> (§7, I-14, JOB-24)', () => {
  const s3 = new FakeS3();
  beforeAll(() => s3.start());
  const ctx = useTestDatabase();
  afterAll(() => s3.close());

  const startApp = (env: Record<string, string>) =>
    ctx.startApp({ config: testConfig({ ...s3.env, ...env }), imports: [GatedJobModule] });
  const runPeriodic = (app: TestApp, job: string) => app.app.get(JobRunner).runPeriodic(job);

  beforeEach(() => s3.reset());

  describeWithRedis('with Redis up', () => {
    let redis: Redis;
    let instances: TestApp[];

    beforeAll(async () => {
      redis = new Redis(redisUrl!);
      instances = [await startApp({ REDIS_URL: redisUrl! }), await startApp({ REDIS_URL: redisUrl! })];
    });

    afterAll(async () => {
      await redis.del(jobLockKey('detect_orphaned_files'), jobLockKey(CONCURRENT_JOB));
      redis.disconnect();
    });

    it('JOB-24: while another process holds scheduler_lock:detect_orphaned_files, a periodic run does nothing: no S3 listing', async () => {
      s3.putObject(FAKE_S3_BUCKET, 'old.jpg', new Date('2020-01-01T00:00:00.000Z'));
      await redis.set(jobLockKey('detect_orphaned_files'), 'another-process', 'EX', 60);
      try {
        expect(await runPeriodic(instances[0], 'detect_orphaned_files')).toBeNull();
        expect(s3.requests).toEqual([]);
        expect(await redis.get(jobLockKey('detect_orphaned_files'))).toBe('another-process');
      } finally {
        await redis.del(jobLockKey('detect_orphaned_files'));
      }

      expect(await runPeriodic(instances[0], 'detect_orphaned_files')).toBe(1);
      expect(s3.count('DeleteObject')).toBe(1);
      // Released in finally (HEAD, §12.7): the next tick anywhere may run.
      expect(await redis.exists(jobLockKey('detect_orphaned_files'))).toBe(0);
    });

    it('I-14: when two instances fire the same trigger together, one runs the job and the other skips it', async () => {
      const { entered, open } = GatedJob.hold();

      const first = runPeriodic(instances[0], GATED_JOB);
      await entered;
      expect(await redis.exists(jobLockKey(GATED_JOB))).toBe(1);
      expect(await runPeriodic(instances[1], GATED_JOB)).toBeNull();
      open();

      expect(await first).toBe(1);
      expect(GatedJob.batches).toBe(2);
      expect(await redis.exists(jobLockKey(GATED_JOB))).toBe(0);
    });

    it('a job declared { exclusive: false } runs whatever the lock, and the CLI path (run) never takes it', async () => {
      ConcurrentJob.runs = 0;
      await redis.set(jobLockKey(CONCURRENT_JOB), 'another-process', 'EX', 60);
      await redis.set(jobLockKey('detect_orphaned_files'), 'another-process', 'EX', 60);

      expect(await runPeriodic(instances[0], CONCURRENT_JOB)).toBe(0);
      expect(ConcurrentJob.runs).toBe(1);
      expect(await instances[0].app.get(JobRunner).run('detect_orphaned_files')).toBe(0);
      expect(s3.count('ListObjectsV2')).toBe(1);
    });
  });

  it('JOB-24 [FAULT]: with Redis unreachable the periodic run goes ahead (fail-open)', async () => {
    const app = await startApp({ REDIS_URL: 'redis://127.0.0.1:1/0' });
    s3.putObject(FAKE_S3_BUCKET, 'old.jpg', new Date('2020-01-01T00:00:00.000Z'));

    expect(await runPeriodic(app, 'detect_orphaned_files')).toBe(1);
    expect(s3.keys(FAKE_S3_BUCKET)).toEqual([]);
  });

  it('JOB-24: with no REDIS_URL at all the periodic run goes ahead too', async () => {
    const app = await startApp({ REDIS_URL: '' });
    s3.putObject(FAKE_S3_BUCKET, 'old.jpg', new Date('2020-01-01T00:00:00.000Z'));

    expect(await runPeriodic(app, 'detect_orphaned_files')).toBe(1);
    expect(s3.count('DeleteObject')).toBe(1);
  });
});
