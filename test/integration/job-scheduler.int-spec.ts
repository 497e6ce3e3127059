import { type INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type CronJob } from 'cron';
import { JobRegistry } from '../../src/scheduling/job-registry';
import { JobRunner } from '../../src/scheduling/job-runner';
import { startTestApp } from '../support/app';
import { FixedClock } from '../support/clock';
import { testConfig } from '../support/config';
import { createUser } from '../support/factories';
import { GATED_JOB, GatedJob, GatedJobModule } from '../support/fixtures/gated-job.module';
import { useTestApp } from '../support/test-app-context';

/** §7.0 (UTC) and, for the monthly GDPR jobs, §12.7. */
const SCHEDULES: Record<string, string> = {
  check_pending_acceptances: '*/5 * * * *',
  release_overdue_payments: '*/10 * * * *',
  send_reminders: '*/15 * * * *',
  cleanup_webhook_events: '0 3 * * *',
  reset_no_show_weekly: '0 5 * * 1',
  notify_unverified_mechanics: '0 7 * * *',
  cleanup_blacklisted_tokens: '0 4 * * *',
  cleanup_old_notifications: '30 3 * * *',
  cleanup_expired_push_tokens: '0 4 * * 0',
  detect_orphaned_files: '0 3 * * 0',
  cleanup_old_audit_logs: '0 2 1 * *',
  anonymize_old_bookings: '30 2 1 * *',
};

/**
 * The triggers of an application; none when its scheduling module was built without them (then no
 * SchedulerRegistry exists, and asking Nest for it would abort the process).
 */
function cronTriggers(app: INestApplication): Map<string, CronJob> {
  const modules = [...app.get(ModulesContainer).values()];
  const scheduling = modules.some((module) => module.providers.has(SchedulerRegistry));
  return scheduling ? app.get(SchedulerRegistry, { strict: false }).getCronJobs() : new Map();
}

describe('job schedules (JOBS_ENABLED)', () => {
  const clock = new FixedClock(new Date('2026-06-01T03:30:00.000Z'));
  const ctx = useTestApp({ clock, triggersEnabled: true, imports: [GatedJobModule] });

  it('gives every job that has a schedule its UTC cron trigger', () => {
    const triggers = cronTriggers(ctx.testApp.app);
    const scheduled = ctx.testApp.app
      .get(JobRegistry)
      .definitions()
      .filter((definition) => definition.schedule);

    expect(scheduled.length).toBeGreaterThan(0);
    expect([...triggers.keys()].sort()).toEqual(scheduled.map((definition) => definition.name).sort());
    for (const trigger of triggers.values()) expect(trigger.cronTime.timeZone).toBe('UTC');
  });

  it('OPS-17 D11: the periodic jobs are registered with their §7.0 / §12.7 schedules', () => {
    const triggers = cronTriggers(ctx.testApp.app);
    // The release and expiry jobs arrive with their own branch; every other job is here.
    const releaseBranch = new Set(['check_pending_acceptances', 'release_overdue_payments']);
    for (const [name, schedule] of Object.entries(SCHEDULES)) {
      const trigger = triggers.get(name);
      if (!trigger && releaseBranch.has(name)) continue;
      expect({ name, schedule: trigger?.cronTime.source }).toEqual({ name, schedule });
    }
  });

  it('runs the job through the runner when its trigger fires', async () => {
    const user = await createUser(ctx.testApp.dataSource);
    await ctx.testApp.dataSource.query(
      `INSERT INTO notifications (user_id, type, title, body, created_at)
       VALUES ($1, 'booking_confirmed', 't', 'b', $2)`,
      [user.id, new Date('2026-01-01T00:00:00.000Z')],
    );
    const trigger = ctx.testApp.app.get(SchedulerRegistry).getCronJob('cleanup_old_notifications');

    await trigger.fireOnTick();

    expect(await ctx.testApp.dataSource.query('SELECT count(*)::int AS n FROM notifications')).toEqual([
      { n: 0 },
    ]);
  });

  it('a tick that comes while the previous run of the same job is still going is dropped (waitForCompletion)', async () => {
    const { entered, open } = GatedJob.hold();
    const trigger = ctx.testApp.app.get(SchedulerRegistry).getCronJob(GATED_JOB);

    const firstTick = trigger.fireOnTick();
    await entered;
    await trigger.fireOnTick();
    expect(GatedJob.batches).toBe(1);
    open();
    await firstTick;

    // One run: its two batches (one item, then none), and nothing from the dropped tick.
    expect(GatedJob.batches).toBe(2);
  });

  it('JOBS_ENABLED=false: the process registers no trigger at all, and the jobs still run by hand', async () => {
    const jobsOff = await startTestApp({
      config: testConfig({ JOBS_ENABLED: 'false' }),
      databaseUrl: ctx.db.url,
      clock,
      triggersEnabled: true,
      imports: [GatedJobModule],
    });
    try {
      expect(cronTriggers(jobsOff.app).size).toBe(0);
      expect(await jobsOff.app.get(JobRunner).run('cleanup_old_notifications')).toBe(0);
    } finally {
      await jobsOff.close();
    }
  });

  it('runtime contract: a shutdown lets the batch in flight finish, then stops the run', async () => {
    const stopping = await startTestApp({
      config: testConfig(),
      databaseUrl: ctx.db.url,
      clock,
      imports: [GatedJobModule],
    });
    const { entered, open } = GatedJob.hold();
    const run = stopping.app.get(JobRunner).run(GATED_JOB);
    await entered;

    let closed = false;
    const close = stopping.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false);
    open();
    await close;

    // The batch in flight handled its item; the run then stopped instead of starting another.
    expect(await run).toBe(1);
    expect(GatedJob.batches).toBe(1);
  });
});
