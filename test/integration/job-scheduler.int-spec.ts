import { SchedulerRegistry } from '@nestjs/schedule';
import { JobRegistry } from '../../src/scheduling/job-registry';
import { startTestApp, type TestApp } from '../support/app';
import { FixedClock } from '../support/clock';
import { testConfig } from '../support/config';
import { createTestDatabase } from '../support/database';
import { createUser } from '../support/factories';

describe('job schedules (JOBS_ENABLED)', () => {
  const clock = new FixedClock(new Date('2026-06-01T03:30:00.000Z'));
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let testApp: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    testApp = await startTestApp({ config: testConfig(), databaseUrl: db.url, clock, triggersEnabled: true });
  });

  afterAll(async () => {
    await testApp.close();
    await db.drop();
  });

  it('gives every job that has a schedule its UTC cron trigger', () => {
    const triggers = testApp.app.get(SchedulerRegistry).getCronJobs();
    const scheduled = testApp.app
      .get(JobRegistry)
      .definitions()
      .filter((definition) => definition.schedule);

    expect(scheduled.length).toBeGreaterThan(0);
    expect([...triggers.keys()].sort()).toEqual(scheduled.map((definition) => definition.name).sort());
    expect(triggers.get('cleanup_old_notifications')?.cronTime.source).toBe('30 3 * * *');
    expect(triggers.get('cleanup_old_notifications')?.cronTime.timeZone).toBe('UTC');
  });

  it('runs the job through the runner when its trigger fires', async () => {
    const user = await createUser(testApp.dataSource);
    await testApp.dataSource.query(
      `INSERT INTO notifications (user_id, type, title, body, created_at)
       VALUES ($1, 'booking_confirmed', 't', 'b', $2)`,
      [user.id, new Date('2026-01-01T00:00:00.000Z')],
    );
    const trigger = testApp.app.get(SchedulerRegistry).getCronJob('cleanup_old_notifications');

    await trigger.fireOnTick();

    expect(await testApp.dataSource.query('SELECT count(*)::int AS n FROM notifications')).toEqual([
      { n: 0 },
    ]);
  });
});
