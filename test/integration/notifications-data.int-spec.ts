import { randomUUID } from 'node:crypto';
import { NOTIFICATIONS } from '../../src/notifications/domain/notification-catalogue';
import { NOTIFICATION_TYPES } from '../../src/notifications/domain/notification-types';
import { NotificationService } from '../../src/notifications/domain/notification.service';
import { JobRunner } from '../../src/scheduling/job-runner';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken, type UserFixture } from '../support/factories';
import { newIp } from '../support/http';
import { useTestApp } from '../support/test-app-context';

const DAY_MS = 86_400_000;

describe('notifications data: type CHECK, retention jobs and GDPR (messaging §1.2, §3.2.4, §3.2.5)', () => {
  const clock = new FixedClock(new Date('2026-06-01T03:30:00.000Z'));
  const ctx = useTestApp({ clock });

  async function insertNotification(user: UserFixture, type: string, createdAt: Date, isRead = false) {
    await ctx.testApp.dataSource.query(
      `INSERT INTO notifications (user_id, type, title, body, data, is_read, created_at)
       VALUES ($1, $2::text, 't', 'b', jsonb_build_object('type', $2::text), $3, $4)`,
      [user.id, type, isRead, createdAt],
    );
  }

  const daysAgo = (days: number) => new Date(clock.now().getTime() - days * DAY_MS);

  it('accepts every catalogue type in ck_notification_type, the later-version ones included, and nothing else', async () => {
    const user = await createUser(ctx.testApp.dataSource);

    for (const type of NOTIFICATION_TYPES) await insertNotification(user, type, clock.now());

    await expect(insertNotification(user, 'invented_type', clock.now())).rejects.toThrow(
      /ck_notification_type/,
    );
  });

  it('JOB-19 (later-version rule adopted, §3.2.4): cleanup_old_notifications deletes every notification older than 90 days, read or not, and keeps newer ones', async () => {
    const user = await createUser(ctx.testApp.dataSource);
    await insertNotification(user, 'booking_confirmed', daysAgo(91), true);
    await insertNotification(user, 'booking_confirmed', daysAgo(120), false);
    await insertNotification(user, 'booking_confirmed', daysAgo(89), false);

    const deleted = await ctx.testApp.app.get(JobRunner).run('cleanup_old_notifications');

    expect(deleted).toBeGreaterThanOrEqual(2);
    const left: { created_at: Date }[] = await ctx.testApp.dataSource.query(
      'SELECT created_at FROM notifications WHERE user_id = $1',
      [user.id],
    );
    expect(left.map((row) => row.created_at)).toEqual([daysAgo(89)]);
  });

  it('JOB-20: cleanup_expired_push_tokens forgets only the tokens of accounts untouched for 180 days', async () => {
    const stale = await createUser(ctx.testApp.dataSource, { expoPushToken: 'ExponentPushToken[stale]' });
    const recent = await createUser(ctx.testApp.dataSource, { expoPushToken: 'ExponentPushToken[recent]' });
    await ctx.testApp.dataSource.query('UPDATE users SET updated_at = $2 WHERE id = $1', [
      stale.id,
      daysAgo(181),
    ]);
    await ctx.testApp.dataSource.query('UPDATE users SET updated_at = $2 WHERE id = $1', [
      recent.id,
      daysAgo(179),
    ]);

    await ctx.testApp.app.get(JobRunner).run('cleanup_expired_push_tokens');

    const rows: { id: string; expo_push_token: string | null }[] = await ctx.testApp.dataSource.query(
      'SELECT id, expo_push_token FROM users WHERE id = ANY($1)',
      [[stale.id, recent.id]],
    );
    expect(Object.fromEntries(rows.map((row) => [row.id, row.expo_push_token]))).toEqual({
      [stale.id]: null,
      [recent.id]: 'ExponentPushToken[recent]',
    });
  });

  describe('GDPR', () => {
    let user: UserFixture;
    let other: UserFixture;

    beforeEach(async () => {
      user = await createUser(ctx.testApp.dataSource, { expoPushToken: 'ExponentPushToken[gdpr]' });
      other = await createUser(ctx.testApp.dataSource);
      await ctx.testApp.dataSource.transaction(async (manager) => {
        const notifications = ctx.testApp.app.get(NotificationService);
        await notifications.notify(
          manager,
          user.id,
          NOTIFICATIONS.bookingConfirmed({ bookingId: randomUUID() }),
        );
        await notifications.notify(manager, other.id, NOTIFICATIONS.noShow({ bookingId: randomUUID() }));
      });
    });

    const authorised = (fixture: UserFixture) => ({
      ...bearer(forgeToken({ sub: fixture.id })),
      'X-Forwarded-For': newIp(),
    });

    it('the export lists the user’s notifications (id, type, title, body, is_read, created_at)', async () => {
      const response = await ctx.testApp.http.get('/auth/me/export').set(authorised(user));

      expect(response.status).toBe(200);
      expect(response.body.notifications).toEqual([
        {
          id: expect.any(String),
          type: 'booking_confirmed',
          title: 'RDV confirme !',
          body: 'Le mecanicien a accepte votre demande de rendez-vous.',
          is_read: false,
          created_at: expect.any(String),
        },
      ]);
    });

    it('AUTH-21 (notifications part): deleting the account deletes its notifications and clears its push token', async () => {
      const response = await ctx.testApp.http.delete('/auth/me').set(authorised(user));

      expect(response.status).toBe(200);
      const counts: { user_id: string; n: number }[] = await ctx.testApp.dataSource.query(
        'SELECT user_id, count(*)::int AS n FROM notifications WHERE user_id = ANY($1) GROUP BY user_id',
        [[user.id, other.id]],
      );
      expect(counts).toEqual([{ user_id: other.id, n: 1 }]);
      const [row]: { expo_push_token: string | null }[] = await ctx.testApp.dataSource.query(
        'SELECT expo_push_token FROM users WHERE id = $1',
        [user.id],
      );
      expect(row.expo_push_token).toBeNull();
    });
  });
});
