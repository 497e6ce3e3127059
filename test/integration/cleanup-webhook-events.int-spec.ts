import { JobRunner } from '../../src/scheduling/job-runner';
import { FixedClock } from '../support/clock';
import { useTestApps } from '../support/test-app-context';

describe('cleanup_webhook_events (bookings-payments §7.5)', () => {
  const clock = new FixedClock(new Date('2026-03-09T03:00:00.000Z'));
  const ctx = useTestApps(2, { clock });

  it('JOB-17: deletes the deduplication rows older than 7 days as of now, even with two instances at once', async () => {
    const { dataSource } = ctx.apps[0];
    await dataSource.query(
      `INSERT INTO processed_webhook_events (event_id, processed_at)
       SELECT 'evt_old_' || n, $1::timestamptz - interval '7 days' - (n || ' seconds')::interval
         FROM generate_series(1, 12000) AS n`,
      [clock.now()],
    );
    await dataSource.query(
      `INSERT INTO processed_webhook_events (event_id, processed_at)
       VALUES ('evt_edge', $1::timestamptz - interval '7 days'), ('evt_recent', $1::timestamptz - interval '1 hour')`,
      [clock.now()],
    );

    const deleted = await Promise.all(
      ctx.apps.map((app) => app.app.get(JobRunner).run('cleanup_webhook_events')),
    );

    expect(deleted.reduce((sum, n) => sum + n, 0)).toBe(12_000);
    expect(await dataSource.query('SELECT event_id FROM processed_webhook_events ORDER BY event_id')).toEqual(
      [{ event_id: 'evt_edge' }, { event_id: 'evt_recent' }],
    );
  });
});
