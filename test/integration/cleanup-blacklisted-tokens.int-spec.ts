import { JobRunner } from '../../src/scheduling/job-runner';
import { FixedClock } from '../support/clock';
import { useTestApps } from '../support/test-app-context';

describe('cleanup_blacklisted_tokens (bookings-payments §7.8)', () => {
  const clock = new FixedClock(new Date('2026-03-02T04:00:00.000Z'));
  const ctx = useTestApps(2, { clock });

  it('JOB-18: deletes only the revoked tokens that have expired as of now, even with two instances at once', async () => {
    const { dataSource } = ctx.apps[0];
    await dataSource.query(
      `INSERT INTO blacklisted_tokens (jti, expires_at)
       SELECT gen_random_uuid()::text, $1::timestamptz - (n || ' minutes')::interval FROM generate_series(1, 12000) AS n`,
      [clock.now()],
    );
    await dataSource.query(
      `INSERT INTO blacklisted_tokens (jti, expires_at)
       SELECT gen_random_uuid()::text, $1::timestamptz + interval '1 hour' FROM generate_series(1, 3)`,
      [clock.now()],
    );

    const deleted = await Promise.all(
      ctx.apps.map((app) => app.app.get(JobRunner).run('cleanup_blacklisted_tokens')),
    );

    expect(deleted.reduce((sum, n) => sum + n, 0)).toBe(12_000);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM blacklisted_tokens')).toEqual([{ n: 3 }]);
  });
});
