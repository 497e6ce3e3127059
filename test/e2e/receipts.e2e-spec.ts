import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Response } from 'supertest';
import { type BookingColumns, insertBooking } from '../support/booking-factories';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken, type UserFixture } from '../support/factories';
import { claimsOf, expectDomainError, newIp } from '../support/http';
import { createMechanic, type ProfileOverrides } from '../support/mechanic-factories';
import { pdfText } from '../support/pdf';
import { useTestApp } from '../support/test-app-context';

const NOW = '2026-03-02T09:00:00.000Z';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const INVALID_TOKEN = 'Invalid or expired download token';
const FORBIDDEN = 'You are not authorized to access this receipt';

type Party = UserFixture & { token: string };

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

describe('payment receipts (messaging-reports §2.5, §3.5, §4.6)', () => {
  const clock = new FixedClock(new Date(NOW));
  const ctx = useTestApp({ clock });

  beforeEach(() => clock.set(NOW));

  async function party(overrides: Parameters<typeof createUser>[1] = {}): Promise<Party> {
    const user = await createUser(ctx.testApp.dataSource, overrides);
    return { ...user, token: forgeToken({ sub: user.id }) };
  }

  /** `BK(status)`: a buyer, the acceptance mechanic `MP` (toulouse) and a booking of a 2019 Peugeot 308. */
  async function bookingFixture(columns: BookingColumns = {}, profile: ProfileOverrides = {}) {
    const buyer = await party();
    const mechanic = await createMechanic(ctx.testApp.dataSource, profile);
    const bookingId = await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, {
      created_at: NOW,
      ...columns,
    });
    return { buyer, mechanic, bookingId };
  }

  const completed: BookingColumns = {
    status: 'completed',
    base_price: '85.00',
    travel_fees: '4.00',
    total_price: '89.00',
    commission_amount: '17.80',
    mechanic_payout: '71.20',
    payment_released_at: NOW,
  };

  const get = (path: string, token?: string, ip = newIp()) => {
    const request = ctx.testApp.http.get(path).set('X-Forwarded-For', ip);
    return token ? request.set(bearer(token)) : request;
  };
  const getPdf = (path: string, token?: string) => get(path, token).responseType('blob');
  const receiptPath = (bookingId: string) => `/reports/receipt/${bookingId}`;
  const downloadPath = (bookingId: string, token: string) =>
    `/reports/receipt/${bookingId}/download?token=${encodeURIComponent(token)}`;

  async function downloadToken(bookingId: string, asUser: Party): Promise<string> {
    const response = await get(`${receiptPath(bookingId)}/token`, asUser.token);
    expect(response.status).toBe(200);
    return response.body.download_token as string;
  }

  function expectPdf(response: Response, disposition: 'inline' | 'attachment', bookingId: string): void {
    const number = bookingId.replace(/-/g, '').slice(0, 8).toUpperCase();
    expect({
      status: response.status,
      type: response.headers['content-type'],
      disposition: response.headers['content-disposition'],
      cache: response.headers['cache-control'],
      magic: (response.body as Buffer).subarray(0, 4).toString(),
    }).toEqual({
      status: 200,
      type: 'application/pdf',
      disposition: `${disposition}; filename="receipt-EM-${number}.pdf"`,
      cache: 'no-store',
      magic: '%PDF',
    });
  }

  async function blacklisted(jti: string): Promise<number> {
    const [{ count }] = await ctx.testApp.dataSource.query(
      'SELECT count(*)::int AS count FROM blacklisted_tokens WHERE jti = $1',
      [jti],
    );
    return count;
  }

  describe('GET /reports/receipt/{booking_id}', () => {
    it('REP-01: the buyer gets the PDF inline, named after the receipt number, with its total', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);

      const response = await getPdf(receiptPath(bookingId), buyer.token);

      expectPdf(response, 'inline', bookingId);
      expect(await pdfText(response.body)).toMatch(/Total\s+89\.00 EUR/);
    });

    it('REP-02: a random id 404, another buyer 403, the booking’s own mechanic 403, an admin 200', async () => {
      const { mechanic, bookingId } = await bookingFixture(completed);
      const otherBuyer = await party();
      const admin = await party({ role: 'admin' });

      expectDomainError(
        await get(receiptPath(UNKNOWN), otherBuyer.token),
        404,
        'Booking not found',
        'booking_not_found',
      );
      expectDomainError(await get(receiptPath(bookingId), otherBuyer.token), 403, FORBIDDEN, 'access_denied');
      expectDomainError(await get(receiptPath(bookingId), mechanic.token), 403, FORBIDDEN, 'access_denied');
      expectPdf(await getPdf(receiptPath(bookingId), admin.token), 'inline', bookingId);
    });

    it('§0: no Authorization header is 403 "Not authenticated"; a malformed id is a 422 list', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);

      const anonymous = await get(receiptPath(bookingId));
      expect({ status: anonymous.status, detail: anonymous.body.detail }).toEqual({
        status: 403,
        detail: 'Not authenticated',
      });
      const malformed = await get(receiptPath('not-a-uuid'), buyer.token);
      expect(malformed.status).toBe(422);
      expect(malformed.body.detail).toEqual([expect.objectContaining({ loc: ['path', 'booking_id'] })]);
    });

    it('§2.5 rate limit: the 11th request in a minute from one client is 429 {"error": …}', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);
      const ip = newIp();

      for (let i = 0; i < 10; i++) {
        expect((await get(`${receiptPath(bookingId)}/token`, buyer.token, ip)).status).toBe(200);
      }
      const limited = await get(`${receiptPath(bookingId)}/token`, buyer.token, ip);
      expect({ status: limited.status, body: limited.body }).toEqual({
        status: 429,
        body: { error: 'Rate limit exceeded: 10 per 1 minute' },
      });
    });
  });

  describe('download tokens', () => {
    it('REP-03: the buyer gets a 5-minute download token bound to the booking and to themselves', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);

      const response = await get(`${receiptPath(bookingId)}/token`, buyer.token);

      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toEqual({ download_token: expect.any(String), expires_in_seconds: 300 });
      const claims = claimsOf(response.body.download_token);
      expect(claims).toMatchObject({
        sub: buyer.id,
        booking_id: bookingId,
        type: 'download',
        iss: 'emecano',
      });
      expect(claims.exp - claims.iat).toBe(300);
    });

    it('REP-03: the token endpoint has the receipt’s access rules (404, 403 for another buyer and the mechanic)', async () => {
      const { mechanic, bookingId } = await bookingFixture(completed);
      const otherBuyer = await party();

      expectDomainError(
        await get(`${receiptPath(UNKNOWN)}/token`, otherBuyer.token),
        404,
        'Booking not found',
        'booking_not_found',
      );
      expectDomainError(
        await get(`${receiptPath(bookingId)}/token`, otherBuyer.token),
        403,
        FORBIDDEN,
        'access_denied',
      );
      expectDomainError(
        await get(`${receiptPath(bookingId)}/token`, mechanic.token),
        403,
        FORBIDDEN,
        'access_denied',
      );
    });

    it('REP-04: the download needs no Authorization header and answers the PDF as an attachment', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);
      const token = await downloadToken(bookingId, buyer);

      const response = await getPdf(downloadPath(bookingId, token));

      expectPdf(response, 'attachment', bookingId);
    });

    it('REP-05: a forged token, another booking’s token and an access token are 401; a random sub is 403', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);
      const other = await bookingFixture(completed);
      const otherBookingToken = await downloadToken(other.bookingId, other.buyer);
      const randomSub = forgeToken({ type: 'download', sub: randomUUID(), booking_id: bookingId });

      for (const token of ['invalid.token.here', otherBookingToken, buyer.token]) {
        expectDomainError(await get(downloadPath(bookingId, token)), 401, INVALID_TOKEN, 'invalid_token');
      }
      expectDomainError(await get(downloadPath(bookingId, randomSub)), 403, FORBIDDEN, 'access_denied');
    });

    it('REP-05 [FORGE]: a download token signed with another key, or without a jti, is 401', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);
      const claims = { type: 'download', sub: buyer.id, booking_id: bookingId };

      for (const token of [
        forgeToken(claims, 'another-secret-that-is-long-enough-0123456789'),
        forgeToken({ ...claims, jti: undefined }),
        forgeToken({ ...claims, iss: 'someone-else' }),
      ]) {
        expectDomainError(await get(downloadPath(bookingId, token)), 401, INVALID_TOKEN, 'invalid_token');
      }
    });

    it('REP-06: a download token works once; the second use is 401 and its jti is blacklisted', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);
      const token = await downloadToken(bookingId, buyer);

      expectPdf(await getPdf(downloadPath(bookingId, token)), 'attachment', bookingId);
      expectDomainError(
        await get(downloadPath(bookingId, token)),
        401,
        'Download token has already been used',
        'token_revoked',
      );
      const { jti, exp } = claimsOf(token);
      const [row] = await ctx.testApp.dataSource.query(
        'SELECT expires_at FROM blacklisted_tokens WHERE jti = $1',
        [jti],
      );
      expect(row.expires_at).toEqual(new Date(exp * 1000));
    });

    it('messaging-reports §7-13: two concurrent downloads with one token give one PDF and one 401 (×20)', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);

      for (let round = 0; round < 20; round++) {
        const token = await downloadToken(bookingId, buyer);
        const responses = await Promise.all([
          get(downloadPath(bookingId, token)),
          get(downloadPath(bookingId, token)),
        ]);

        expect(responses.map((response) => response.status).sort()).toEqual([200, 401]);
        expect(await blacklisted(claimsOf(token).jti)).toBe(1);
      }
    });

    it('REP-07: an admin’s token is bound to the buyer, and downloading with it works', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);
      const admin = await party({ role: 'admin' });

      const token = await downloadToken(bookingId, admin);

      expect(claimsOf(token).sub).toBe(buyer.id);
      expectPdf(await getPdf(downloadPath(bookingId, token)), 'attachment', bookingId);
    });

    it('§2.5: a token lives 5 minutes, not a second more (no leeway)', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);
      const [lastSecond, expired] = [
        await downloadToken(bookingId, buyer),
        await downloadToken(bookingId, buyer),
      ];

      clock.advance(299_000);
      expect((await get(downloadPath(bookingId, lastSecond))).status).toBe(200);
      clock.advance(1_000);
      expectDomainError(await get(downloadPath(bookingId, expired)), 401, INVALID_TOKEN, 'invalid_token');
    });

    it('H-004: a token issued before the buyer changed their password is 401 (messaging-reports §8)', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);
      const token = await downloadToken(bookingId, buyer);
      await ctx.testApp.dataSource.query('UPDATE users SET password_changed_at = $2 WHERE id = $1', [
        buyer.id,
        new Date(Date.parse(NOW) + 1_000),
      ]);

      expectDomainError(
        await get(downloadPath(bookingId, token)),
        401,
        'Token invalidated by password change',
        'password_changed',
      );
      expect(await blacklisted(claimsOf(token).jti)).toBe(0);
    });

    it('§2.5: a missing token is a 422 list; a valid token for an unknown booking path is 401', async () => {
      const { buyer, bookingId } = await bookingFixture(completed);
      const token = await downloadToken(bookingId, buyer);

      const missing = await get(`${receiptPath(bookingId)}/download`);
      expect(missing.status).toBe(422);
      expect(missing.body.detail).toEqual([expect.objectContaining({ loc: ['query', 'token'] })]);
      expectDomainError(await get(downloadPath(UNKNOWN, token)), 401, INVALID_TOKEN, 'invalid_token');
    });
  });

  describe('receipt content', () => {
    async function receiptText(columns: BookingColumns, profile: ProfileOverrides = {}): Promise<string> {
      const { buyer, bookingId } = await bookingFixture(columns, profile);
      const response = await getPdf(downloadPath(bookingId, await downloadToken(bookingId, buyer)));
      expect(response.status).toBe(200);
      return pdfText(response.body);
    }

    it('REP-10: the payment status label follows the booking status', async () => {
      const statuses: [BookingColumns, string][] = [
        [completed, 'Paye'],
        [{ status: 'validated' }, 'En cours de traitement'],
        [{ status: 'cancelled', cancelled_at: NOW, cancelled_by: 'buyer' }, 'Annule'],
        [{ status: 'disputed' }, 'En litige'],
        // §9-20: any status gets a receipt.
        [{ status: 'pending_acceptance' }, 'En attente'],
      ];

      for (const [columns, label] of statuses) {
        expect(await receiptText(columns)).toMatch(new RegExp(`^\\s*${label}\\s*$`, 'm'));
      }
    });

    it('REP-10: the header, the mechanic’s city, the vehicle and the 2-decimal amounts of a completed booking', async () => {
      const text = await receiptText(completed);

      for (const expected of [
        'Plateforme de mise en relation acheteurs - mecaniciens',
        'Recu de paiement',
        'Informations de la prestation',
        'Document genere automatiquement par eMecano',
      ]) {
        expect(text).toContain(expected);
      }
      expect(text).toMatch(/Date de service\s+02\/03\/2026/);
      expect(text).toMatch(/Ville du mecanicien\s+toulouse/);
      expect(text).toMatch(/Marque\s+Peugeot/);
      expect(text).toMatch(/Modele\s+308/);
      expect(text).toMatch(/Annee\s+2019/);
      expect(text).toMatch(/Inspection de base\s+85\.00 EUR/);
      expect(text).toMatch(/Frais de deplacement\s+4\.00 EUR/);
      expect(text).not.toContain('Supplement diagnostic OBD');
      expect(text).toMatch(/Total\s+89\.00 EUR/);
    });

    it('REP-10: a mechanic without a city reads "Non renseigne"; no travel fees, no travel line', async () => {
      const text = await receiptText({ status: 'validated' }, { city: '' });

      expect(text).toMatch(/Ville du mecanicien\s+Non renseigne/);
      expect(text).not.toContain('Frais de deplacement');
    });

    it('REP-10: the service date is check_in_at when set, else created_at', async () => {
      const checkedIn = await receiptText({
        ...completed,
        created_at: '2026-02-20T10:00:00.000Z',
        check_in_at: '2026-02-27T23:30:00.000Z',
      });
      expect(checkedIn).toMatch(/Date de service\s+27\/02\/2026/);

      const notCheckedIn = await receiptText({ status: 'confirmed', created_at: '2026-02-20T10:00:00.000Z' });
      expect(notCheckedIn).toMatch(/Date de service\s+20\/02\/2026/);
    });

    it('§9-19: an OBD booking shows the 25.00 supplement out of base_price, and the lines add up to the total', async () => {
      const text = await receiptText({
        ...completed,
        obd_requested: true,
        base_price: '65.00',
        travel_fees: '3.90',
        total_price: '68.90',
        commission_amount: '13.78',
        mechanic_payout: '55.12',
      });

      expect(text).toMatch(/Inspection de base\s+40\.00 EUR/);
      expect(text).toMatch(/Supplement diagnostic OBD\s+25\.00 EUR/);
      expect(text).toMatch(/Frais de deplacement\s+3\.90 EUR/);
      expect(text).toMatch(/Total\s+68\.90 EUR/);
    });
  });

  it('REP-09 H-024: 10 concurrent receipts all 200 while /health, polled every 50 ms, keeps p95 < 300 ms', async () => {
    const fixtures = await Promise.all(Array.from({ length: 10 }, () => bookingFixture(completed)));
    const healthLatencies: number[] = [];
    let rendering = true;

    const poll = async () => {
      while (rendering) {
        const started = performance.now();
        const response = await get('/health');
        healthLatencies.push(performance.now() - started);
        expect(response.status).toBe(200);
        await sleep(50);
      }
    };
    const polling = poll();
    const receipts = await Promise.all(
      fixtures.map(({ buyer, bookingId }) => getPdf(receiptPath(bookingId), buyer.token)),
    ).finally(() => {
      rendering = false;
    });
    await polling;

    expect(receipts.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(healthLatencies.length).toBeGreaterThan(0);
    expect(percentile(healthLatencies, 95)).toBeLessThan(300);
    expect(Math.max(...healthLatencies)).toBeLessThan(1_000);
  });
});
