import { randomUUID } from 'node:crypto';
import { ANONYMIZED } from '../../src/bookings/jobs/anonymize-old-bookings.job';
import { JobRunner } from '../../src/scheduling/job-runner';
import { insertBooking } from '../support/booking-factories';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { createMechanic } from '../support/mechanic-factories';
import { useTestApps } from '../support/test-app-context';

const NOW = new Date('2026-11-23T05:00:00.000Z');
const DAY_MS = 24 * 3_600_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

describe('retention and maintenance jobs (§7.6, §7.8, §8.2, §12.7)', () => {
  const clock = new FixedClock(NOW);
  const ctx = useTestApps(2, { clock });
  const dataSource = () => ctx.apps[0].dataSource;
  const run = (job: string) => ctx.apps[0].app.get(JobRunner).run(job);
  const runEverywhere = (job: string) => Promise.all(ctx.apps.map((app) => app.app.get(JobRunner).run(job)));

  it('JOB-18: the expired revoked token is deleted; the revoked one still valid stays and is still refused', async () => {
    const user = await createUser(dataSource());
    const revokedJti = randomUUID();
    await dataSource().query(`INSERT INTO blacklisted_tokens (jti, expires_at) VALUES ($1, $2), ($3, $4)`, [
      randomUUID(),
      new Date(NOW.getTime() - 60_000),
      revokedJti,
      new Date(NOW.getTime() + 3_600_000),
    ]);

    expect(await run('cleanup_blacklisted_tokens')).toBeGreaterThanOrEqual(1);

    expect(
      await dataSource().query('SELECT jti FROM blacklisted_tokens WHERE expires_at < $1', [NOW]),
    ).toEqual([]);
    const me = (jti: string) =>
      ctx.apps[0].http.get('/auth/me').set(bearer(forgeToken({ sub: user.id, jti })));
    expect((await me(revokedJti)).status).toBe(401);
    expect((await me(randomUUID())).status).toBe(200);
  });

  describe('reset_no_show_weekly', () => {
    async function noShows(profileId: string) {
      const [row] = await dataSource().query(
        'SELECT no_show_count, last_no_show_at, suspended_until, is_active FROM mechanic_profiles WHERE id = $1',
        [profileId],
      );
      return row;
    }

    it('JOB-21 §8.2: a last no-show 100 days old is forgotten; one 30 days old is kept; suspension and ban stay', async () => {
      const suspendedUntil = new Date(NOW.getTime() + 10 * DAY_MS);
      const old = await createMechanic(dataSource(), { noShowCount: 1, suspendedUntil });
      const banned = await createMechanic(dataSource(), { noShowCount: 3, isActive: false });
      const recent = await createMechanic(dataSource(), { noShowCount: 1 });
      await dataSource().query('UPDATE mechanic_profiles SET last_no_show_at = $2 WHERE id = ANY($1)', [
        [old.profileId, banned.profileId],
        daysAgo(100),
      ]);
      await dataSource().query('UPDATE mechanic_profiles SET last_no_show_at = $2 WHERE id = $1', [
        recent.profileId,
        daysAgo(30),
      ]);

      await run('reset_no_show_weekly');

      expect(await noShows(old.profileId)).toEqual({
        no_show_count: 0,
        last_no_show_at: null,
        suspended_until: suspendedUntil,
        is_active: true,
      });
      expect(await noShows(banned.profileId)).toMatchObject({ no_show_count: 0, is_active: false });
      expect(await noShows(recent.profileId)).toEqual({
        no_show_count: 1,
        last_no_show_at: daysAgo(30),
        suspended_until: null,
        is_active: true,
      });
    });

    it('I-14 §12.7: batches of 20, two instances at once reset each of 45 profiles exactly once', async () => {
      const mechanics = await Promise.all(
        Array.from({ length: 45 }, () => createMechanic(dataSource(), { noShowCount: 2 })),
      );
      await dataSource().query('UPDATE mechanic_profiles SET last_no_show_at = $2 WHERE id = ANY($1)', [
        mechanics.map((mechanic) => mechanic.profileId),
        daysAgo(91),
      ]);

      const handled = await runEverywhere('reset_no_show_weekly');

      expect(handled[0] + handled[1]).toBe(45);
      expect(
        await dataSource().query(
          'SELECT count(*)::int AS n FROM mechanic_profiles WHERE id = ANY($1) AND no_show_count = 0',
          [mechanics.map((mechanic) => mechanic.profileId)],
        ),
      ).toEqual([{ n: 45 }]);
    });
  });

  it('anonymize_old_bookings §12.7: finished bookings created over 3 × 365 days ago lose vehicle and place, once', async () => {
    const buyer = await createUser(dataSource());
    const mechanic = await createMechanic(dataSource());
    const longAgo = daysAgo(3 * 365 + 1);
    const insert = (columns: Record<string, unknown>) =>
      insertBooking(dataSource(), buyer.id, mechanic.profileId, {
        vehicle_plate: 'AB-123-CD',
        created_at: longAgo,
        ...columns,
      });
    const completed = await insert({ status: 'completed', payment_released_at: longAgo });
    const cancelled = await insert({ status: 'cancelled', cancelled_at: longAgo, cancelled_by: 'buyer' });
    const stillDisputed = await insert({ status: 'disputed' });
    const recent = await insert({
      status: 'completed',
      payment_released_at: NOW,
      created_at: daysAgo(3 * 365 - 1),
    });

    const handled = await runEverywhere('anonymize_old_bookings');

    expect(handled[0] + handled[1]).toBe(2);

    const rows: Record<string, unknown>[] = await dataSource().query(
      `SELECT id, vehicle_brand, vehicle_model, vehicle_year, vehicle_plate, meeting_address,
              meeting_lat::float AS lat, meeting_lng::float AS lng, total_price
         FROM bookings WHERE id = ANY($1)`,
      [[completed, cancelled, stillDisputed, recent]],
    );
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    for (const id of [completed, cancelled]) {
      expect(byId[id]).toEqual({
        id,
        vehicle_brand: ANONYMIZED,
        vehicle_model: ANONYMIZED,
        vehicle_year: 0,
        vehicle_plate: null,
        meeting_address: ANONYMIZED,
        lat: 43.6,
        lng: 1.4,
        total_price: '40.00',
      });
    }
    for (const id of [stillDisputed, recent]) {
      expect(byId[id]).toMatchObject({ vehicle_brand: 'Peugeot', vehicle_plate: 'AB-123-CD', lat: 43.6045 });
    }
    expect(await run('anonymize_old_bookings')).toBe(0);
  });

  it('cleanup_old_audit_logs §12.7: audit logs older than 3 × 365 days are purged, younger ones kept', async () => {
    const admin = await createUser(dataSource(), { role: 'admin' });
    await dataSource().query(
      `INSERT INTO audit_logs (action, admin_user_id, created_at)
       VALUES ('verify_mechanic', $1, $2), ('verify_mechanic', $1, $3)`,
      [admin.id, daysAgo(3 * 365 + 1), daysAgo(3 * 365 - 1)],
    );

    expect(await run('cleanup_old_audit_logs')).toBe(1);

    expect(
      await dataSource().query('SELECT created_at FROM audit_logs WHERE admin_user_id = $1', [admin.id]),
    ).toEqual([{ created_at: daysAgo(3 * 365 - 1) }]);
  });
});
