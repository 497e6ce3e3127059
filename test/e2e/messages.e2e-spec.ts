import { randomUUID } from 'node:crypto';
import { type BookingStatus } from '../../src/bookings/domain/booking-status';
import { insertBooking } from '../support/booking-factories';
import { bearer, createUser, forgeToken, type UserFixture, type UserOverrides } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic, type MechanicFixture } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const LATE_10 = 'Je serai en retard de 10 minutes';
const NOT_PARTICIPANT = 'You are not a participant of this booking';
const ADMINS_CANNOT_SEND = 'Admins cannot send messages. Use the admin panel for moderation.';

interface MessageRow {
  id: string;
  sender_id: string | null;
  is_template: boolean;
  content: string;
}

describe('messages: booking conversations (messaging-reports §2.1, §3.1)', () => {
  const ctx = useTestApp();
  let buyer: UserFixture;
  let mechanic: MechanicFixture;
  let bookingId: string;

  beforeEach(async () => {
    buyer = await createUser(ctx.testApp.dataSource, { firstName: 'Camille', lastName: 'Durand' });
    mechanic = await createMechanic(ctx.testApp.dataSource, {}, { firstName: 'Marc' });
    bookingId = await booking('confirmed');
  });

  function booking(status: BookingStatus, parties = { buyer, mechanic }): Promise<string> {
    const stamps: Record<string, unknown> = { status, confirmed_at: new Date() };
    if (status === 'cancelled') Object.assign(stamps, { cancelled_at: new Date(), cancelled_by: 'buyer' });
    if (status === 'completed') stamps.payment_released_at = new Date();
    return insertBooking(ctx.testApp.dataSource, parties.buyer.id, parties.mechanic.profileId, stamps);
  }

  const authorised = (user: UserFixture) => ({
    ...bearer(forgeToken({ sub: user.id })),
    'X-Forwarded-For': newIp(),
  });
  const list = (user: UserFixture, query = '', id = bookingId) =>
    ctx.testApp.http.get(`/bookings/${id}/messages${query}`).set(authorised(user));
  const send = (user: UserFixture, body: Record<string, unknown>, id = bookingId) =>
    ctx.testApp.http.post(`/bookings/${id}/messages`).set(authorised(user)).send(body);
  const template = (user: UserFixture, content = LATE_10, id = bookingId) =>
    send(user, { content, is_template: true }, id);
  const custom = (user: UserFixture, content: string, id = bookingId) =>
    send(user, { content, is_template: false }, id);

  /** Fixture messages written with SQL, `count` of them, `createdAt` apart by a second each. */
  async function seedMessages(
    sender: UserFixture,
    options: { isTemplate: boolean; content?: string; count?: number; createdAt?: Date; id?: string },
  ): Promise<void> {
    const start = options.createdAt ?? new Date(Date.now() - 3_600_000);
    await ctx.testApp.dataSource.query(
      `INSERT INTO messages (booking_id, sender_id, is_template, content, created_at)
       SELECT $1, $2, $3, $4, $5::timestamptz + make_interval(secs => n) FROM generate_series(1, $6) AS n`,
      [
        options.id ?? bookingId,
        sender.id,
        options.isTemplate,
        options.content ?? (options.isTemplate ? LATE_10 : 'Bonjour'),
        start,
        options.count ?? 1,
      ],
    );
  }

  const storedMessages = (id = bookingId): Promise<MessageRow[]> =>
    ctx.testApp.dataSource.query(
      'SELECT id, sender_id, is_template, content FROM messages WHERE booking_id = $1 ORDER BY created_at',
      [id],
    );

  const notificationsOf = (
    user: UserFixture,
  ): Promise<{ type: string; title: string; body: string; data: unknown }[]> =>
    ctx.testApp.dataSource.query('SELECT type, title, body, data FROM notifications WHERE user_id = $1', [
      user.id,
    ]);

  async function untilABackendWaitsOnALock(): Promise<void> {
    for (;;) {
      const [{ n }]: { n: number }[] = await ctx.testApp.dataSource.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (n > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  describe('GET /messages/templates', () => {
    it('MSG-01: the public catalogue: both sets without a role, one side with ?role=buyer or ?role=mechanic', async () => {
      const both = await ctx.testApp.http.get('/messages/templates').set('X-Forwarded-For', newIp());
      const buyers = await ctx.testApp.http
        .get('/messages/templates?role=buyer')
        .set('X-Forwarded-For', newIp());
      const mechanics = await ctx.testApp.http
        .get('/messages/templates?role=mechanic')
        .set('X-Forwarded-For', newIp());
      const other = await ctx.testApp.http
        .get('/messages/templates?role=admin')
        .set('X-Forwarded-For', newIp());

      const categories = ['Retard', 'Localisation', 'Véhicule', 'Autre'];
      expect(buyers.status).toBe(200);
      expect(buyers.body.map((c: { category: string }) => c.category)).toEqual(categories);
      expect(buyers.body[1]).toEqual({
        category: 'Localisation',
        messages: ["Je ne trouve pas l'adresse", 'Je suis sur place', 'Je suis en route'],
      });
      expect(mechanics.status).toBe(200);
      expect(mechanics.body.map((c: { category: string }) => c.category)).toEqual(categories);
      expect(mechanics.body[2]).toEqual({
        category: 'Véhicule',
        messages: [
          'Merci de préparer le véhicule SVP',
          "Avez-vous le carnet d'entretien ?",
          'Quel est le kilométrage actuel ?',
        ],
      });
      expect(both.status).toBe(200);
      expect(both.body).toEqual([...buyers.body, ...mechanics.body]);
      expect(other.body).toEqual(both.body);
      const distinct = new Set(both.body.flatMap((c: { messages: string[] }) => c.messages));
      expect(distinct.size).toBe(19);
    });
  });

  describe('GET /bookings/{id}/messages', () => {
    it('MSG-02: an empty conversation is []', async () => {
      const response = await list(buyer);

      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    });

    it('MSG-03: existing messages, oldest first, with their sender and sender_name', async () => {
      await seedMessages(mechanic, {
        isTemplate: true,
        content: 'Je suis arrivé',
        createdAt: new Date('2026-03-02T10:05:00Z'),
      });
      await seedMessages(buyer, {
        isTemplate: true,
        content: LATE_10,
        createdAt: new Date('2026-03-02T10:00:00Z'),
      });

      const response = await list(buyer);

      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        {
          id: expect.any(String),
          booking_id: bookingId,
          sender_id: buyer.id,
          is_template: true,
          content: LATE_10,
          created_at: '2026-03-02T10:00:01.000Z',
          sender_name: 'Camille Durand',
        },
        expect.objectContaining({ sender_id: mechanic.id, content: 'Je suis arrivé', sender_name: 'Marc' }),
      ]);
    });

    it('pages with limit and offset (default 50), in any booking status', async () => {
      await seedMessages(buyer, { isTemplate: false, count: 60 });
      await ctx.testApp.dataSource.query(
        "UPDATE bookings SET status = 'cancelled', cancelled_at = now(), cancelled_by = 'buyer' WHERE id = $1",
        [bookingId],
      );

      const firstPage = await list(buyer);
      const lastPage = await list(mechanic, '?limit=20&offset=50');

      expect(firstPage.status).toBe(200);
      expect(firstPage.body).toHaveLength(50);
      expect(lastPage.status).toBe(200);
      expect(lastPage.body).toHaveLength(10);
      expect(lastPage.body[0].created_at > firstPage.body[49].created_at).toBe(true);
    });

    it.each([
      ['limit=0', 'limit', 'greater_than_equal'],
      ['limit=101', 'limit', 'less_than_equal'],
      ['limit=abc', 'limit', 'int_type'],
      ['offset=-1', 'offset', 'greater_than_equal'],
      ['offset=10001', 'offset', 'less_than_equal'],
    ])('rejects ?%s with a 422 on the query field', async (query, field, type) => {
      const response = await list(buyer, `?${query}`);

      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([expect.objectContaining({ loc: ['query', field], type })]);
    });
  });

  describe('POST /bookings/{id}/messages', () => {
    it('MSG-04: the buyer sends a template; the mechanic is notified with the message id', async () => {
      const response = await template(buyer);

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        booking_id: bookingId,
        sender_id: buyer.id,
        is_template: true,
        content: LATE_10,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        sender_name: 'Camille Durand',
      });
      expect(await notificationsOf(mechanic)).toEqual([
        {
          type: 'new_message',
          title: 'Nouveau message',
          body: 'Camille Durand vous a envoye un message.',
          data: { type: 'new_message', booking_id: bookingId, message_id: response.body.id },
        },
      ]);
      expect(await notificationsOf(buyer)).toEqual([]);
    });

    it('MSG-05: an unknown template text → 400 "Invalid template message", nothing stored', async () => {
      const unknown = await template(buyer, 'This is not a real template');
      const otherCase = await template(buyer, LATE_10.toUpperCase());

      expectDomainError(unknown, 400, 'Invalid template message', 'invalid_template');
      expectDomainError(otherCase, 400, 'Invalid template message', 'invalid_template');
      expect(await storedMessages()).toEqual([]);
    });

    it('MSG-06: free text needs is_template:false, and several custom messages are allowed', async () => {
      await seedMessages(buyer, { isTemplate: false, content: 'Premier message' });

      const response = await custom(buyer, 'Le portail est vert, sonnez deux fois');
      const byDefault = await send(buyer, { content: 'Sans is_template' });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        is_template: false,
        content: 'Le portail est vert, sonnez deux fois',
      });
      expectDomainError(byDefault, 400, 'Invalid template message', 'invalid_template');
      expect((await storedMessages()).map((m) => m.content)).toEqual([
        'Premier message',
        'Le portail est vert, sonnez deux fois',
      ]);
    });

    it('MSG-07 [SEC]: contact details are masked before storage; templates are not masked', async () => {
      const response = await custom(buyer, 'Appelez-moi au 06 12 34 56 78 ou test@email.com');
      const others = await custom(buyer, 'wa.me/abc t.me/abc @toto_92 instagram whatsapp snapchat');
      // A template sent as free text is free text: masked like any other.
      const handle = await custom(buyer, 'Je suis en route @marc');

      expect(response.status).toBe(201);
      expect(response.body.content).toBe('Appelez-moi au [TELEPHONE MASQUE] ou [EMAIL MASQUE]');
      expect(others.body.content).toBe(
        '[CONTACT MASQUE] [CONTACT MASQUE] [CONTACT MASQUE] [CONTACT MASQUE] [CONTACT MASQUE] [CONTACT MASQUE]',
      );
      expect(handle.body.content).toBe('Je suis en route [CONTACT MASQUE]');
      const stored = (await storedMessages()).map((m) => m.content).join('\n');
      expect(stored).not.toContain('06 12 34 56 78');
      expect(stored).not.toContain('test@email.com');
      expect(stored).toContain('MASQUE');
      expect((await list(mechanic)).body.map((m: { content: string }) => m.content)).toEqual([
        response.body.content,
        others.body.content,
        handle.body.content,
      ]);
    });

    it('MSG-08: sending only while confirmed, awaiting_mechanic_code or check_in_done (409 otherwise)', async () => {
      const closed: BookingStatus[] = [
        'pending_acceptance',
        'check_out_done',
        'validated',
        'completed',
        'cancelled',
        'disputed',
      ];
      for (const status of closed) {
        const response = await template(buyer, LATE_10, await booking(status));
        expectDomainError(
          response,
          409,
          `Messaging is not available for bookings in '${status}' status`,
          'messaging_unavailable',
        );
      }
      for (const status of ['confirmed', 'awaiting_mechanic_code', 'check_in_done'] as const) {
        expect((await template(buyer, LATE_10, await booking(status))).status).toBe(201);
      }
    });

    it('MSG-09 [SEC]: no token → 403; an unknown booking → 404; another buyer → 403, for reads and sends', async () => {
      const outsider = await createUser(ctx.testApp.dataSource);
      const unknown = randomUUID();

      const anonymousRead = await ctx.testApp.http
        .get(`/bookings/${bookingId}/messages`)
        .set('X-Forwarded-For', newIp());
      const anonymousSend = await ctx.testApp.http
        .post(`/bookings/${bookingId}/messages`)
        .set('X-Forwarded-For', newIp())
        .send({ content: LATE_10 });

      for (const response of [anonymousRead, anonymousSend]) {
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ detail: 'Not authenticated' });
      }
      expectDomainError(await list(buyer, '', unknown), 404, 'Booking not found', 'booking_not_found');
      expectDomainError(
        await template(buyer, LATE_10, unknown),
        404,
        'Booking not found',
        'booking_not_found',
      );
      expectDomainError(await list(outsider), 403, NOT_PARTICIPANT, 'not_conversation_participant');
      expectDomainError(await template(outsider), 403, NOT_PARTICIPANT, 'not_conversation_participant');
      // Another booking's mechanic is an outsider too.
      const otherMechanic = await createMechanic(ctx.testApp.dataSource);
      expectDomainError(await template(otherMechanic), 403, NOT_PARTICIPANT, 'not_conversation_participant');
      expect(await storedMessages()).toEqual([]);
    });

    it('rejects malformed input with a 422 before any lookup', async () => {
      const badId = await ctx.testApp.http.get('/bookings/not-a-uuid/messages').set(authorised(buyer));
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'content'],
        [{ content: '' }, 'content'],
        [{ content: 'x'.repeat(501), is_template: false }, 'content'],
        [{ content: 42 }, 'content'],
        [{ content: LATE_10, is_template: null }, 'is_template'],
        [{ content: LATE_10, is_template: 'yes' }, 'is_template'],
      ];

      expect(badId.status).toBe(422);
      expect(badId.body.detail).toEqual([expect.objectContaining({ loc: ['path', 'booking_id'] })]);
      for (const [body, field] of cases) {
        const response = await send(buyer, body);
        expect({ body, status: response.status }).toEqual({ body, status: 422 });
        expect(response.body.detail).toEqual(
          expect.arrayContaining([expect.objectContaining({ loc: ['body', field] })]),
        );
      }
      expect(await storedMessages()).toEqual([]);
    });

    it('takes content as sent: 500 characters with surrounding spaces, not trimmed', async () => {
      const content = ` ${'a'.repeat(498)} `;

      const response = await custom(buyer, content);

      expect(response.status).toBe(201);
      expect(response.body.content).toBe(content);
    });

    it('MSG-10: the booking’s mechanic sends "Je suis arrivé" and reads; the buyer is notified', async () => {
      const sent = await template(mechanic, 'Je suis arrivé');
      const read = await list(mechanic);

      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ sender_id: mechanic.id, sender_name: 'Marc', is_template: true });
      expect(read.status).toBe(200);
      expect(read.body).toEqual([sent.body]);
      expect(await notificationsOf(buyer)).toEqual([
        expect.objectContaining({
          type: 'new_message',
          body: 'Marc vous a envoye un message.',
          data: { type: 'new_message', booking_id: bookingId, message_id: sent.body.id },
        }),
      ]);
    });

    it('the mechanic participates even when their profile is inactive or suspended (§3.1.1)', async () => {
      await ctx.testApp.dataSource.query(
        "UPDATE mechanic_profiles SET is_active = false, suspended_until = now() + interval '7 days' WHERE id = $1",
        [mechanic.profileId],
      );

      expect((await template(mechanic, 'Je suis arrivé')).status).toBe(201);
    });

    it('MSG-11 [SEC][AUDIT-H-003]: an admin reads any conversation but cannot post, before any other check', async () => {
      const admin = await createUser(ctx.testApp.dataSource, { role: 'admin' });
      await seedMessages(buyer, { isTemplate: true });
      const cancelled = await booking('cancelled');

      const read = await list(admin);
      const post = await template(admin);
      const postOnCancelled = await template(admin, 'not a template', cancelled);

      expect(read.status).toBe(200);
      expect(read.body).toHaveLength(1);
      expectDomainError(post, 403, ADMINS_CANNOT_SEND, 'admin_cannot_message');
      expectDomainError(postOnCancelled, 403, ADMINS_CANNOT_SEND, 'admin_cannot_message');
      expect(await storedMessages()).toHaveLength(1);
      expect(await notificationsOf(mechanic)).toEqual([]);
    });

    it('MSG-12: sender_name is "First Last", else the first name, else the e-mail’s local part', async () => {
      const cases: [UserOverrides, string][] = [
        [{ firstName: 'Jean', lastName: 'Dupont' }, 'Jean Dupont'],
        [{ firstName: 'Alice' }, 'Alice'],
        [{ email: 'john.doe@example.com' }, 'john.doe'],
      ];
      for (const [overrides, expected] of cases) {
        const sender = await createUser(ctx.testApp.dataSource, overrides);
        const id = await booking('confirmed', { buyer: sender, mechanic });

        const sent = await template(sender, LATE_10, id);
        const listed = await list(mechanic, '', id);

        expect(sent.body.sender_name).toBe(expected);
        expect(listed.body[0].sender_name).toBe(expected);
      }
    });
  });

  it('[RACE] a send waits for a transition in flight and decides on its outcome (409 once cancelled)', async () => {
    const transition = ctx.testApp.dataSource.createQueryRunner();
    await transition.connect();
    try {
      await transition.startTransaction();
      await transition.query('SELECT id FROM bookings WHERE id = $1 FOR UPDATE', [bookingId]);
      await transition.query(
        "UPDATE bookings SET status = 'cancelled', cancelled_at = now(), cancelled_by = 'mechanic' WHERE id = $1",
        [bookingId],
      );
      // supertest sends on `then`: start the request now, while the booking is held.
      const pending = template(buyer).then((response) => response);
      await untilABackendWaitsOnALock();
      await transition.commitTransaction();

      expectDomainError(
        await pending,
        409,
        "Messaging is not available for bookings in 'cancelled' status",
        'messaging_unavailable',
      );
    } finally {
      await transition.release();
    }
    expect(await storedMessages()).toEqual([]);
  });

  describe('per-sender quotas (§3.1.1)', () => {
    it('20 templates per sender per booking, then 429 with a JSON detail', async () => {
      await seedMessages(buyer, { isTemplate: true, count: 19 });
      await seedMessages(buyer, { isTemplate: false, count: 30 });

      const twentieth = await template(buyer);
      const twentyFirst = await template(buyer);
      const mechanicsFirst = await template(mechanic, 'Je suis arrivé');

      expect(twentieth.status).toBe(201);
      expectDomainError(
        twentyFirst,
        429,
        'Template message limit reached (20 per booking)',
        'message_quota_reached',
      );
      expect(mechanicsFirst.status).toBe(201);
    });

    it('30 custom messages per sender per booking, counted apart from templates and per booking', async () => {
      await seedMessages(buyer, { isTemplate: false, count: 29 });
      await seedMessages(buyer, { isTemplate: true, count: 20 });
      const otherBooking = await booking('confirmed');
      await seedMessages(buyer, { isTemplate: false, count: 30, id: otherBooking });

      const thirtieth = await custom(buyer, 'encore un');
      const thirtyFirst = await custom(buyer, 'un de trop');

      expect(thirtieth.status).toBe(201);
      expectDomainError(
        thirtyFirst,
        429,
        'Limite de messages atteinte (30 par réservation)',
        'message_quota_reached',
      );
      expect((await custom(mechanic, 'Bonjour')).status).toBe(201);
    });

    it('[RACE] 25 concurrent custom sends with 29 already sent → exactly one 201, the rest 429, 30 stored', async () => {
      // Five rounds keep the file fast in CI; the loop was run 20+ times while the lock was designed.
      for (let round = 0; round < 5; round++) {
        const id = await booking('confirmed');
        await seedMessages(buyer, { isTemplate: false, count: 29, id });

        const responses = await Promise.all(
          Array.from({ length: 25 }, (_, i) => custom(buyer, `message ${i}`, id)),
        );

        const statuses = responses.map((r) => r.status).sort();
        expect({ round, statuses }).toEqual({ round, statuses: [201, ...Array<number>(24).fill(429)] });
        const [{ n }]: { n: number }[] = await ctx.testApp.dataSource.query(
          'SELECT count(*)::int AS n FROM messages WHERE booking_id = $1 AND sender_id = $2 AND NOT is_template',
          [id, buyer.id],
        );
        expect(n).toBe(30);
      }
    });

    it('the rate limit (30/min per IP) answers {"error": …}, unlike the quota’s {"detail": …}', async () => {
      const ip = newIp();
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const response = await ctx.testApp.http
          .post(`/bookings/${bookingId}/messages`)
          .set({ ...bearer(forgeToken({ sub: buyer.id })), 'X-Forwarded-For': ip })
          .send({ content: LATE_10 });
        statuses.push(response.status);
      }
      const limited = await ctx.testApp.http
        .post(`/bookings/${bookingId}/messages`)
        .set({ ...bearer(forgeToken({ sub: buyer.id })), 'X-Forwarded-For': ip })
        .send({ content: LATE_10 });

      expect(statuses).toEqual([...Array<number>(20).fill(201), ...Array<number>(10).fill(429)]);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ error: 'Rate limit exceeded: 30 per 1 minute' });
    });
  });

  describe('GDPR (§3.1.5)', () => {
    it('AUTH-21 (messages part): after the sender deletes their account, their messages read "[Message supprime]" with no sender', async () => {
      // Deletion is refused while a booking is active: this buyer's only booking is completed.
      const leaving = await createUser(ctx.testApp.dataSource);
      const completed = await booking('completed', { buyer: leaving, mechanic });
      await seedMessages(leaving, {
        isTemplate: false,
        content: 'Mon code portail est 1234',
        id: completed,
        createdAt: new Date('2026-03-02T10:00:00Z'),
      });
      await seedMessages(mechanic, {
        isTemplate: true,
        content: 'Je suis arrivé',
        id: completed,
        createdAt: new Date('2026-03-02T10:05:00Z'),
      });

      const deletion = await ctx.testApp.http.delete('/auth/me').set(authorised(leaving));

      expect(deletion.status).toBe(200);
      const stored = await storedMessages(completed);
      expect(stored.filter((m) => m.sender_id === leaving.id)).toEqual([]);
      expect(stored).toEqual([
        expect.objectContaining({ sender_id: null, content: '[Message supprime]' }),
        expect.objectContaining({ sender_id: mechanic.id, content: 'Je suis arrivé' }),
      ]);
      const read = await list(mechanic, '', completed);
      expect(read.body[0]).toMatchObject({
        sender_id: null,
        sender_name: null,
        content: '[Message supprime]',
      });
    });

    it('AUTH-23 (messages part): the export lists the messages the user sent, newest first, CSV-safe', async () => {
      await seedMessages(buyer, { isTemplate: true, createdAt: new Date('2026-03-02T10:00:00Z') });
      await seedMessages(buyer, {
        isTemplate: false,
        content: '=HYPERLINK("x")',
        createdAt: new Date('2026-03-02T11:00:00Z'),
      });
      await seedMessages(mechanic, { isTemplate: true, content: 'Je suis arrivé' });

      const response = await ctx.testApp.http.get('/auth/me/export').set(authorised(buyer));

      expect(response.status).toBe(200);
      expect(response.body.messages).toEqual([
        {
          id: expect.any(String),
          booking_id: bookingId,
          content: '\'=HYPERLINK("x")',
          is_template: false,
          created_at: '2026-03-02T11:00:01.000Z',
        },
        {
          id: expect.any(String),
          booking_id: bookingId,
          content: LATE_10,
          is_template: true,
          created_at: '2026-03-02T10:00:01.000Z',
        },
      ]);
    });
  });
});
