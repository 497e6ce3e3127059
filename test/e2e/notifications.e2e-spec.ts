import { randomUUID } from 'node:crypto';
import { NOTIFICATIONS, type Notification } from '../../src/notifications/domain/notification-catalogue';
import { NotificationService } from '../../src/notifications/domain/notification.service';
import { bearer, createUser, forgeToken, type UserFixture } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { useTestApp } from '../support/test-app-context';

describe('notifications inbox (messaging §2.2)', () => {
  const ctx = useTestApp();
  let buyer: UserFixture;
  let otherBuyer: UserFixture;

  beforeEach(async () => {
    buyer = await createUser(ctx.testApp.dataSource);
    otherBuyer = await createUser(ctx.testApp.dataSource);
  });

  async function notify(user: UserFixture, notification: Notification): Promise<string> {
    await ctx.testApp.dataSource.transaction((manager) =>
      ctx.testApp.app.get(NotificationService).notify(manager, user.id, notification),
    );
    const [row]: { id: string }[] = await ctx.testApp.dataSource.query(
      'SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1',
      [user.id],
    );
    return row.id;
  }

  /** NOTIF-01's fixture: three notifications for the buyer, the oldest one read. Newest first. */
  async function threeNotificationsTwoUnread(user: UserFixture): Promise<string[]> {
    const oldest = await notify(user, NOTIFICATIONS.bookingConfirmed({ bookingId: randomUUID() }));
    const middle = await notify(
      user,
      NOTIFICATIONS.checkOutDone({ bookingId: randomUUID(), pdfUrl: 'https://r/1.pdf' }),
    );
    const newest = await notify(
      user,
      NOTIFICATIONS.bookingCancelled({ bookingId: randomUUID(), cancelledBy: 'mechanic' }),
    );
    await ctx.testApp.dataSource.query('UPDATE notifications SET is_read = true WHERE id = $1', [oldest]);
    return [newest, middle, oldest];
  }

  const authorization = (user: UserFixture) => bearer(forgeToken({ sub: user.id }));
  const get = (user: UserFixture, path: string) =>
    ctx.testApp.http.get(path).set(authorization(user)).set('X-Forwarded-For', newIp());
  const patch = (user: UserFixture, path: string) =>
    ctx.testApp.http.patch(path).set(authorization(user)).set('X-Forwarded-For', newIp());
  it('NOTIF-01 lists the caller’s notifications newest first with the unread count', async () => {
    const ids = await threeNotificationsTwoUnread(buyer);
    await notify(otherBuyer, NOTIFICATIONS.noShow({ bookingId: randomUUID() }));

    const response = await get(buyer, '/notifications');

    expect(response.status).toBe(200);
    expect(response.body.unread_count).toBe(2);
    expect(response.body.notifications.map((n: { id: string }) => n.id)).toEqual(ids);
    expect(response.body.notifications[0]).toEqual({
      id: ids[0],
      type: 'booking_cancelled',
      title: 'RDV annule',
      body: "Le rendez-vous a ete annule par l'autre partie.",
      data: { type: 'booking_cancelled', booking_id: expect.any(String), cancelled_by: 'mechanic' },
      is_read: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('NOTIF-02 paginates without changing the unread count', async () => {
    const ids = await threeNotificationsTwoUnread(buyer);

    const firstPage = await get(buyer, '/notifications?limit=2&offset=0');
    const secondPage = await get(buyer, '/notifications?limit=2&offset=2');

    expect(firstPage.body.notifications.map((n: { id: string }) => n.id)).toEqual(ids.slice(0, 2));
    expect(firstPage.body.unread_count).toBe(2);
    expect(secondPage.body.notifications.map((n: { id: string }) => n.id)).toEqual(ids.slice(2));
    expect(secondPage.body.unread_count).toBe(2);
  });

  it('NOTIF-03 answers an empty inbox', async () => {
    const response = await get(buyer, '/notifications');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ notifications: [], unread_count: 0 });
  });

  it.each([
    ['limit=0', 'limit', 'greater_than_equal'],
    ['limit=101', 'limit', 'less_than_equal'],
    ['limit=abc', 'limit', 'int_type'],
    ['offset=-1', 'offset', 'greater_than_equal'],
    ['offset=10001', 'offset', 'less_than_equal'],
  ])('rejects ?%s with a 422 on the query field', async (query, field, type) => {
    const response = await get(buyer, `/notifications?${query}`);

    expect(response.status).toBe(422);
    expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['query', field], type })]);
  });

  it('NOTIF-04 marks one notification as read, idempotently', async () => {
    const [newest] = await threeNotificationsTwoUnread(buyer);

    const first = await patch(buyer, `/notifications/${newest}/read`);
    const again = await patch(buyer, `/notifications/${newest}/read`);

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: newest, is_read: true, type: 'booking_cancelled' });
    expect(again.status).toBe(200);
    const [row]: { is_read: boolean }[] = await ctx.testApp.dataSource.query(
      'SELECT is_read FROM notifications WHERE id = $1',
      [newest],
    );
    expect(row.is_read).toBe(true);
  });

  it('NOTIF-05 answers 404 for another user’s notification and for an unknown one [SEC]', async () => {
    const [newest] = await threeNotificationsTwoUnread(buyer);

    const foreign = await patch(otherBuyer, `/notifications/${newest}/read`);
    const unknown = await patch(buyer, `/notifications/${randomUUID()}/read`);

    expectDomainError(foreign, 404, 'Notification not found', 'not_found');
    expectDomainError(unknown, 404, 'Notification not found', 'not_found');
    const [row]: { is_read: boolean }[] = await ctx.testApp.dataSource.query(
      'SELECT is_read FROM notifications WHERE id = $1',
      [newest],
    );
    expect(row.is_read).toBe(false);
  });

  it('rejects a malformed notification id with a 422 on the path', async () => {
    const response = await patch(buyer, '/notifications/not-a-uuid/read');

    expect(response.status).toBe(422);
    expect(response.body.detail).toEqual([
      expect.objectContaining({ loc: ['path', 'notification_id'], type: 'uuid_parsing' }),
    ]);
  });

  it('NOTIF-06 marks all of the caller’s notifications as read, and only theirs', async () => {
    await threeNotificationsTwoUnread(buyer);
    const othersId = await notify(otherBuyer, NOTIFICATIONS.bookingConfirmed({ bookingId: randomUUID() }));

    const response = await patch(buyer, '/notifications/read-all');
    const listed = await get(buyer, '/notifications');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(listed.body.unread_count).toBe(0);
    const [row]: { is_read: boolean }[] = await ctx.testApp.dataSource.query(
      'SELECT is_read FROM notifications WHERE id = $1',
      [othersId],
    );
    expect(row.is_read).toBe(false);
  });

  it('NOTIF-07 stores data.type on every row, with each event’s keys', async () => {
    const bookingId = randomUUID();
    const messageId = randomUUID();
    const sent: Notification[] = [
      NOTIFICATIONS.bookingCreated({ bookingId, vehicleBrand: 'Renault', vehicleModel: 'Clio' }),
      NOTIFICATIONS.bookingConfirmed({ bookingId }),
      NOTIFICATIONS.bookingRefused({ bookingId, reason: 'too_far', proposedTime: '14:30' }),
      NOTIFICATIONS.bookingCancelled({ bookingId, cancelledBy: 'buyer' }),
      NOTIFICATIONS.bookingCancelledMechanicSuspended({ bookingId }),
      NOTIFICATIONS.noShow({ bookingId }),
      NOTIFICATIONS.checkOutDone({ bookingId, pdfUrl: 'https://r/report.pdf' }),
      NOTIFICATIONS.bookingDisputed({ bookingId }),
      NOTIFICATIONS.newMessage({ bookingId, messageId, senderName: 'Marie' }),
      NOTIFICATIONS.profileVerification(),
    ];
    for (const notification of sent) await notify(buyer, notification);

    const rows: { type: string; data: Record<string, unknown> }[] = await ctx.testApp.dataSource.query(
      'SELECT type, data FROM notifications WHERE user_id = $1 ORDER BY created_at',
      [buyer.id],
    );

    expect(rows.map((row) => row.data.type)).toEqual(rows.map((row) => row.type));
    expect(rows.map((row) => row.data)).toEqual([
      { type: 'booking_created', booking_id: bookingId },
      { type: 'booking_confirmed', booking_id: bookingId },
      { type: 'booking_refused', booking_id: bookingId, reason: 'too_far', proposed_time: '14:30' },
      { type: 'booking_cancelled', booking_id: bookingId, cancelled_by: 'buyer' },
      { type: 'booking_cancelled', booking_id: bookingId },
      { type: 'no_show', booking_id: bookingId },
      { type: 'check_out_done', booking_id: bookingId, pdf_url: 'https://r/report.pdf' },
      { type: 'booking_disputed', booking_id: bookingId },
      { type: 'new_message', booking_id: bookingId, message_id: messageId },
      { type: 'profile_verification', action: 'verify_identity' },
    ]);
  });

  it('refuses an unauthenticated caller with the framework’s 403', async () => {
    const response = await ctx.testApp.http.get('/notifications').set('X-Forwarded-For', newIp());

    expect(response.status).toBe(403);
    expect(response.body.detail).toBe('Not authenticated');
  });

  it('limits the mark-read routes to 60 per minute per client', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const response = await ctx.testApp.http
        .patch('/notifications/read-all')
        .set(authorization(buyer))
        .set('X-Forwarded-For', ip);
      statuses.push(response.status);
    }

    expect(statuses.slice(0, 60).every((status) => status === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
  });
});
