import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { register } from 'prom-client';
import { NOTIFICATIONS, type Notification } from '../../src/notifications/domain/notification-catalogue';
import { NotificationService } from '../../src/notifications/domain/notification.service';
import { PUSH_QUEUE, type PushJob } from '../../src/notifications/push/push-delivery';
import { type TestApp } from '../support/app';
import { testConfig } from '../support/config';
import { waitForIdleQueue } from '../support/delivery';
import { createUser, type UserFixture } from '../support/factories';
import { FakeExpo } from '../support/fake-expo';
import { NotifyProbeModule } from '../support/fixtures/notify-probe.module';
import { useTestDatabase } from '../support/test-app-context';

const token = () => `ExponentPushToken[${randomUUID()}]`;

async function pushOutcomes(): Promise<Record<string, number>> {
  const metric = await register.getSingleMetric('emecano_push_deliveries_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.outcome), v.value]));
}

describe('push delivery (messaging §3.2, C-009)', () => {
  let expo: FakeExpo;
  beforeAll(async () => {
    expo = await FakeExpo.start();
  });
  const ctx = useTestDatabase();
  afterAll(() => expo?.close());
  let testApp: TestApp;

  // The tests that restart the app close it and start another; the afterAll closes the last one.
  const start = () =>
    ctx.startApp({ config: testConfig({ EXPO_PUSH_URL: expo.url }), imports: [NotifyProbeModule] });

  beforeAll(async () => {
    testApp = await start();
  });

  beforeEach(async () => {
    // Each test starts from a quiet queue and a fake that accepts everything promptly.
    await waitForIdleQueue(testApp.dataSource, PUSH_QUEUE, 30_000);
    expo.received.length = 0;
    expo.accepted.length = 0;
    expo.delayAnswers(0);
  });

  async function notify(user: UserFixture, notification?: Notification): Promise<void> {
    await testApp.dataSource.transaction((manager) =>
      testApp.app
        .get(NotificationService)
        .notify(
          manager,
          user.id,
          notification ?? NOTIFICATIONS.bookingConfirmed({ bookingId: randomUUID() }),
        ),
    );
  }

  async function tokenOf(user: UserFixture): Promise<string | null> {
    const [row]: { expo_push_token: string | null }[] = await testApp.dataSource.query(
      'SELECT expo_push_token FROM users WHERE id = $1',
      [user.id],
    );
    return row.expo_push_token;
  }

  async function notificationCount(user: UserFixture): Promise<number> {
    const [{ count }]: { count: number }[] = await testApp.dataSource.query(
      'SELECT count(*)::int AS count FROM notifications WHERE user_id = $1',
      [user.id],
    );
    return count;
  }

  it('NOTIF-08 answers the request before the push goes out, then pushes once with the booking category [AUDIT-C-009]', async () => {
    const mechanicToken = 'ExponentPushToken[abc]';
    const mechanic = await createUser(testApp.dataSource, { role: 'mechanic', expoPushToken: mechanicToken });
    expo.delayAnswers(2_000);
    const bookingId = randomUUID();

    const response = await testApp.http.post('/probe/booking-created').send({
      mechanic_user_id: mechanic.id,
      booking_id: bookingId,
      vehicle_brand: 'Peugeot',
      vehicle_model: '208',
    });

    // Had the request waited for Expo, the 2 s answer would already be in.
    expect(response.status).toBe(201);
    expect(expo.accepted).toHaveLength(0);
    await expo.waitForAccepted(1);
    await waitForIdleQueue(testApp.dataSource, PUSH_QUEUE);
    expect(expo.received).toEqual([
      {
        to: mechanicToken,
        title: 'Nouvelle demande de RDV',
        body: 'Un acheteur souhaite reserver un controle pour Peugeot 208.',
        sound: 'default',
        data: { type: 'booking_created', booking_id: bookingId },
        categoryId: 'booking_request',
      },
    ]);
  });

  it('NOTIF-09 cuts the pushed body to 200 characters and keeps the full text in the row', async () => {
    const mechanic = await createUser(testApp.dataSource, { role: 'mechanic', expoPushToken: token() });
    const notification = NOTIFICATIONS.bookingCreated({
      bookingId: randomUUID(),
      vehicleBrand: 'B'.repeat(100),
      vehicleModel: 'M'.repeat(100),
    });

    await notify(mechanic, notification);

    const [push] = await expo.waitForAccepted(1);
    expect(notification.body.length).toBeGreaterThan(200);
    expect(push.body).toBe(notification.body.slice(0, 200));
    const [row]: { body: string }[] = await testApp.dataSource.query(
      'SELECT body FROM notifications WHERE user_id = $1',
      [mechanic.id],
    );
    expect(row.body).toBe(notification.body);
  });

  it('NOTIF-10a clears the token of a device Expo no longer knows, and that change is committed', async () => {
    const user = await createUser(testApp.dataSource, { expoPushToken: token() });
    const before = await pushOutcomes();
    expo.answerNext({ kind: 'ticket_error', error: 'DeviceNotRegistered' });

    await notify(user);
    await waitForIdleQueue(testApp.dataSource, PUSH_QUEUE);

    expect(await tokenOf(user)).toBeNull();
    expect(expo.received).toHaveLength(1);
    expect(await notificationCount(user)).toBe(1);
    const after = await pushOutcomes();
    expect((after.device_not_registered ?? 0) - (before.device_not_registered ?? 0)).toBe(1);
  });

  it('NOTIF-10a keeps a token registered after the one Expo refused', async () => {
    const oldToken = token();
    const newToken = token();
    const user = await createUser(testApp.dataSource, { expoPushToken: oldToken });
    expo.answerNext({ kind: 'hang' });
    await notify(user);
    await expo.waitForReceived(1);

    // The device re-registers while the push to its old token is in flight; Expo then refuses the old one.
    await testApp.dataSource.query('UPDATE users SET expo_push_token = $2 WHERE id = $1', [
      user.id,
      newToken,
    ]);
    expo.releaseHeld({ kind: 'ticket_error', error: 'DeviceNotRegistered' });
    await waitForIdleQueue(testApp.dataSource, PUSH_QUEUE);

    expect(await tokenOf(user)).toBe(newToken);
  });

  it('NOTIF-10b keeps the token on another ticket error and does not retry it', async () => {
    const userToken = token();
    const user = await createUser(testApp.dataSource, { expoPushToken: userToken });
    const before = await pushOutcomes();
    expo.answerNext({ kind: 'ticket_error', error: 'InvalidCredentials' });

    await notify(user);
    await waitForIdleQueue(testApp.dataSource, PUSH_QUEUE);

    expect(await tokenOf(user)).toBe(userToken);
    expect(expo.received).toHaveLength(1);
    const after = await pushOutcomes();
    expect((after.rejected ?? 0) - (before.rejected ?? 0)).toBe(1);
  });

  it('NOTIF-10c survives an answer that is not JSON, and delivers on the retry', async () => {
    const userToken = token();
    const user = await createUser(testApp.dataSource, { expoPushToken: userToken });
    expo.answerNext({ kind: 'non_json' });

    await notify(user);

    await expo.waitForAccepted(1, 20_000);
    expect(expo.received.map((push) => push.to)).toEqual([userToken, userToken]);
    expect(await notificationCount(user)).toBe(1);
  });

  it('NOTIF-11 skips a user without a token: no call to Expo, no retry', async () => {
    const user = await createUser(testApp.dataSource);
    const before = await pushOutcomes();

    await notify(user);
    await waitForIdleQueue(testApp.dataSource, PUSH_QUEUE);

    expect(expo.received).toHaveLength(0);
    expect(await notificationCount(user)).toBe(1);
    const after = await pushOutcomes();
    expect((after.skipped ?? 0) - (before.skipped ?? 0)).toBe(1);
  });

  it.each([
    ['answers 503', { kind: 'http_error', status: 503 } as const],
    ['drops the connection', { kind: 'hang' } as const],
  ])(
    'NOTIF-11 keeps the notification when Expo %s, and retries the push until it goes out',
    async (_, answer) => {
      const userToken = token();
      const user = await createUser(testApp.dataSource, { expoPushToken: userToken });
      expo.answerNext(answer);

      await notify(user);
      await expo.waitForReceived(1);
      expo.releaseHeld();

      expect(await notificationCount(user)).toBe(1);
      await expo.waitForAccepted(1, 20_000);
      expect(expo.acceptedFor(userToken)).toHaveLength(1);
    },
  );

  it('NOTIF-12 pushes every one of a burst of 20 notifications [AUDIT-C-009]', async () => {
    const userToken = token();
    const user = await createUser(testApp.dataSource, { expoPushToken: userToken });

    await Promise.all(
      Array.from({ length: 20 }, () =>
        notify(
          user,
          NOTIFICATIONS.newMessage({ bookingId: randomUUID(), messageId: randomUUID(), senderName: 'Marie' }),
        ),
      ),
    );

    await expo.waitForAccepted(20);
    await waitForIdleQueue(testApp.dataSource, PUSH_QUEUE);
    expect(await notificationCount(user)).toBe(20);
    expect(expo.acceptedFor(userToken)).toHaveLength(20);
  });

  it('writes no row and enqueues no push when the caller’s transaction rolls back', async () => {
    const user = await createUser(testApp.dataSource, { expoPushToken: token() });

    await expect(
      testApp.dataSource.transaction(async (manager) => {
        await testApp.app
          .get(NotificationService)
          .notify(manager, user.id, NOTIFICATIONS.noShow({ bookingId: randomUUID() }));
        throw new Error('the business operation failed after notifying');
      }),
    ).rejects.toThrow('the business operation failed after notifying');

    expect(await notificationCount(user)).toBe(0);
    const [{ count }]: { count: number }[] = await testApp.dataSource.query(
      "SELECT count(*)::int AS count FROM pgboss.job WHERE name = $1 AND data->>'userId' = $2",
      [PUSH_QUEUE, user.id],
    );
    expect(count).toBe(0);
  });

  it('C-009: pushes to 50 users survive a restart in the middle, each accepted exactly once, none for a rollback', async () => {
    const users = await Promise.all(
      Array.from({ length: 50 }, () => createUser(testApp.dataSource, { expoPushToken: token() })),
    );
    const rolledBack = await createUser(testApp.dataSource, { expoPushToken: token() });
    expo.delayAnswers(40);

    await Promise.all(users.map((user) => notify(user)));
    await testApp.dataSource
      .transaction(async (manager) => {
        await testApp.app
          .get(NotificationService)
          .notify(manager, rolledBack.id, NOTIFICATIONS.noShow({ bookingId: randomUUID() }));
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await expo.waitForAccepted(5);
    await testApp.close();
    const acceptedBeforeRestart = expo.accepted.length;
    testApp = await start();

    await expo.waitForAccepted(50, 30_000);
    await waitForIdleQueue(testApp.dataSource, PUSH_QUEUE);
    expect(acceptedBeforeRestart).toBeLessThan(50);
    for (const user of users) {
      const [row]: { expo_push_token: string }[] = await testApp.dataSource.query(
        'SELECT expo_push_token FROM users WHERE id = $1',
        [user.id],
      );
      expect(expo.acceptedFor(row.expo_push_token)).toHaveLength(1);
    }
    expect(expo.received.filter((push) => push.data?.type === 'no_show')).toHaveLength(0);
  });

  it('resumes, within 60 s of a restart, a push that a crashed process had taken', async () => {
    const userToken = token();
    const user = await createUser(testApp.dataSource, { expoPushToken: userToken });
    await testApp.close();
    // The dead process: it took the job (state active) and vanished without finishing or failing it.
    const job: PushJob = {
      notificationId: randomUUID(),
      userId: user.id,
      title: 'RDV confirme !',
      body: 'ok',
      data: { type: 'booking_confirmed' },
    };
    const crashed = new PgBoss({ connectionString: ctx.db.url, supervise: false, schedule: false });
    await crashed.start();
    await crashed.send(PUSH_QUEUE, job);
    const [taken] = await crashed.fetch<PushJob>(PUSH_QUEUE);
    expect(taken.data.userId).toBe(user.id);
    await crashed.stop({ graceful: false, wait: true });

    const restartedAt = Date.now();
    testApp = await start();

    await expo.waitForAccepted(1, 60_000);
    expect(Date.now() - restartedAt).toBeLessThan(60_000);
    expect(expo.acceptedFor(userToken)).toHaveLength(1);
    // Expo answering comes before the worker records the job as done: wait for that, then check how it ended.
    await waitForIdleQueue(testApp.dataSource, PUSH_QUEUE);
    const states: { state: string }[] = await testApp.dataSource.query(
      "SELECT state FROM pgboss.job WHERE name = $1 AND data->>'userId' = $2",
      [PUSH_QUEUE, user.id],
    );
    expect(states).toEqual([{ state: 'completed' }]);
  }, 90_000);
});
