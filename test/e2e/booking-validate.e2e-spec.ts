import { type BookingStatus } from '../../src/bookings/domain/booking-status';
import { METRIC } from '../../src/observability/metrics/metrics';
import { createBookingParties, type BookingParties } from '../support/booking-factories';
import { counterValue, insertPaidBooking } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { solidPng } from '../support/images';
import { useStripeTestApp } from '../support/stripe-test-app';

const NOW = new Date('2026-03-05T11:00:00Z');
const DISPUTE = {
  validated: false,
  problem_reason: 'wrong_info',
  problem_description: 'Wrong plate on the report',
};

describe('PATCH /bookings/{id}/validate and /validate-with-photos (bookings-payments §3.8, §3.9)', () => {
  const clock = new FixedClock(NOW);
  const ctx = useStripeTestApp({ clock });

  const query = <T = Record<string, unknown>>(sql: string, params: unknown[]) =>
    ctx.testApp.dataSource.query(sql, params) as Promise<T[]>;
  const buyerToken = (p: BookingParties) => forgeToken({ sub: p.buyer.id });

  async function booking(status: BookingStatus) {
    const p = await createBookingParties(ctx.testApp.dataSource);
    const { id } = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, p, { status });
    return { p, id };
  }
  const validate = (id: string, token: string, body: object) =>
    ctx.testApp.http
      .patch(`/bookings/${id}/validate`)
      .set('X-Forwarded-For', newIp())
      .set(bearer(token))
      .send(body);
  const withPhotos = (
    id: string,
    token: string,
    fields: Record<string, string>,
    photos: { bytes: Buffer; filename: string; contentType: string }[] = [],
  ) => {
    let request = ctx.testApp.http
      .patch(`/bookings/${id}/validate-with-photos`)
      .set('X-Forwarded-For', newIp())
      .set(bearer(token));
    for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
    for (const photo of photos)
      request = request.attach('photos', photo.bytes, {
        filename: photo.filename,
        contentType: photo.contentType,
      });
    return request;
  };
  const png = (filename = 'car.png') => ({
    bytes: solidPng(4, 4, [200, 0, 0]),
    filename,
    contentType: 'image/png',
  });
  const statusOf = async (id: string) =>
    (await query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [id]))[0].status;
  const disputesOf = (id: string) =>
    query<{
      reason: string;
      description: string;
      opened_by: string;
      status: string;
      photo_urls: string[] | null;
    }>('SELECT reason, description, opened_by, status, photo_urls FROM dispute_cases WHERE booking_id = $1', [
      id,
    ]);
  const notificationsOf = (userId: string, type: string) =>
    query<{ title: string; body: string; data: Record<string, string> }>(
      'SELECT title, body, data FROM notifications WHERE user_id = $1 AND type = $2',
      [userId, type],
    );

  describe('validated = true', () => {
    it('FLOW-14 / D12: check_out_done → validated, release due PAYMENT_RELEASE_DELAY_HOURS later, nothing captured', async () => {
      const { p, id } = await booking('check_out_done');

      const response = await validate(id, buyerToken(p), { validated: true });

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'validated', payment_release: 'scheduled in 2 hours' },
      });
      const [row] = await query<{ status: string; release_due_at: Date }>(
        'SELECT status, release_due_at FROM bookings WHERE id = $1',
        [id],
      );
      expect(row).toEqual({ status: 'validated', release_due_at: new Date(NOW.getTime() + 2 * 3_600_000) });
      expect(ctx.fake.calls(/capture/).filter((c) => c.path.includes(id))).toEqual([]);
      await ctx.assertMoneyConsistent(id);
    });

    it('FLOW-14: validate-with-photos with validated=yes takes the same path and ignores photos', async () => {
      const { p, id } = await booking('check_out_done');

      const response = await withPhotos(id, buyerToken(p), { validated: 'yes' }, [png()]);

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'validated', payment_release: 'scheduled in 2 hours' },
      });
      expect(await statusOf(id)).toBe('validated');
      expect(await disputesOf(id)).toEqual([]);
    });

    it("FLOW-15: another buyer's booking → 403; a confirmed booking → 409; unchanged", async () => {
      const { id } = await booking('check_out_done');
      const stranger = await createUser(ctx.testApp.dataSource);
      const confirmed = await booking('confirmed');

      expectDomainError(
        await validate(id, forgeToken({ sub: stranger.id }), { validated: true }),
        403,
        'Not your booking',
        'not_your_booking',
      );
      expectDomainError(
        await validate(confirmed.id, buyerToken(confirmed.p), { validated: true }),
        409,
        "Cannot validate: booking status is 'confirmed'",
        'booking_state_conflict',
      );
      expect([await statusOf(id), await statusOf(confirmed.id)]).toEqual(['check_out_done', 'confirmed']);
    });

    it('DISP-04 (validated=true part): check_in_done cannot be validated → 409', async () => {
      const { p, id } = await booking('check_in_done');

      expectDomainError(
        await validate(id, buyerToken(p), { validated: true }),
        409,
        "Cannot validate: booking status is 'check_in_done'",
        'booking_state_conflict',
      );
    });

    it('§0.7: a mechanic or an unverified buyer is refused by the route guard', async () => {
      const { p, id } = await booking('check_out_done');
      const unverified = await createUser(ctx.testApp.dataSource, { isVerified: false });

      expect((await validate(id, p.mechanic.token, { validated: true })).status).toBe(403);
      expect((await validate(id, forgeToken({ sub: unverified.id }), { validated: true })).status).toBe(403);
      expect(await statusOf(id)).toBe('check_out_done');
    });
  });

  describe('validated = false (T13)', () => {
    it('DISP-01: the dispute row, the booking disputed, the mechanic notified, the metric after commit', async () => {
      const { p, id } = await booking('check_out_done');
      const before = await counterValue(METRIC.disputesOpened, { reason: 'wrong_info' });

      const response = await validate(id, buyerToken(p), DISPUTE);

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'disputed', dispute_opened: true },
      });
      expect(await statusOf(id)).toBe('disputed');
      expect(await disputesOf(id)).toEqual([
        {
          reason: 'wrong_info',
          description: 'Wrong plate on the report',
          opened_by: p.buyer.id,
          status: 'open',
          photo_urls: null,
        },
      ]);
      expect(await notificationsOf(p.mechanic.id, 'booking_disputed')).toEqual([
        {
          title: 'Litige ouvert',
          body: "L'acheteur a conteste le resultat de l'inspection.",
          data: { booking_id: id, type: 'booking_disputed' },
        },
      ]);
      expect(await counterValue(METRIC.disputesOpened, { reason: 'wrong_info' })).toBe(before + 1);
      await ctx.assertMoneyConsistent(id);
    });

    it('DISP-02: no reason and no description, or no description → 422, booking unchanged', async () => {
      const { p, id } = await booking('check_out_done');

      const bare = await validate(id, buyerToken(p), { validated: false });
      const noDescription = await validate(id, buyerToken(p), { validated: false, problem_reason: 'other' });
      const tooLong = await validate(id, buyerToken(p), {
        ...DISPUTE,
        problem_description: 'x'.repeat(1001),
      });

      expect([bare.status, noDescription.status, tooLong.status]).toEqual([422, 422, 422]);
      expect(bare.body.detail.map((issue: { loc: string[] }) => issue.loc)).toEqual([
        ['body', 'problem_reason'],
        ['body', 'problem_description'],
      ]);
      expect(noDescription.body.detail.map((issue: { loc: string[] }) => issue.loc)).toEqual([
        ['body', 'problem_description'],
      ]);
      expect(await statusOf(id)).toBe('check_out_done');
      expect(await disputesOf(id)).toEqual([]);
    });

    it('DISP-03 / I-10: a second dispute → 409, still one dispute row; the UNIQUE index stands behind it', async () => {
      const { p, id } = await booking('check_out_done');
      expect((await validate(id, buyerToken(p), DISPUTE)).status).toBe(200);

      const again = await validate(id, buyerToken(p), DISPUTE);

      expectDomainError(
        again,
        409,
        "Cannot validate: booking status is 'disputed'",
        'booking_state_conflict',
      );
      expect(await disputesOf(id)).toHaveLength(1);
      await expect(
        query("INSERT INTO dispute_cases (booking_id, reason, description) VALUES ($1, 'other', 'x')", [id]),
      ).rejects.toThrow(/uq_dispute_cases_booking_id/);
    });

    it('I-10: a dispute recorded on a booking still in check_out_done (a chargeback) → explicit 409', async () => {
      const { p, id } = await booking('check_out_done');
      await query(
        "INSERT INTO dispute_cases (booking_id, opened_by, reason, description) VALUES ($1, $2, 'other', 'x')",
        [id, p.buyer.id],
      );

      expectDomainError(
        await validate(id, buyerToken(p), DISPUTE),
        409,
        'A dispute already exists for this booking',
        'dispute_exists',
      );
      expect(await statusOf(id)).toBe('check_out_done');
    });

    it('DISP-04: a dispute from check_in_done → 200 disputed', async () => {
      const { p, id } = await booking('check_in_done');

      const response = await validate(id, buyerToken(p), { ...DISPUTE, problem_reason: 'rude_behavior' });

      expect(response.body).toEqual({ status: 'disputed', dispute_opened: true });
      expect(await statusOf(id)).toBe('disputed');
    });

    it('N13.12: no dispute through validate from confirmed (only the no-show path leads there) → 409', async () => {
      const { p, id } = await booking('confirmed');
      const before = await counterValue(METRIC.disputesOpened, { reason: 'wrong_info' });

      expectDomainError(
        await validate(id, buyerToken(p), DISPUTE),
        409,
        "Cannot validate: booking status is 'confirmed'",
        'booking_state_conflict',
      );
      expect(await disputesOf(id)).toEqual([]);
      expect(await counterValue(METRIC.disputesOpened, { reason: 'wrong_info' })).toBe(before);
    });
  });

  describe('validate-with-photos (§3.9)', () => {
    it('DISP-01 with photos: stored under disputes/, listed on the dispute, photo_count', async () => {
      const { p, id } = await booking('check_out_done');

      const response = await withPhotos(
        id,
        buyerToken(p),
        { validated: 'false', problem_reason: 'wrong_info', problem_description: 'Scratches not reported' },
        [png('front.png'), png('back.png')],
      );

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: { status: 'disputed', dispute_opened: true, photo_count: 2 },
      });
      const [dispute] = await disputesOf(id);
      expect(dispute.photo_urls).toHaveLength(2);
      for (const url of dispute.photo_urls ?? []) expect(url).toMatch(/disputes\/[0-9a-f-]{36}\.png$/);
      expect(await notificationsOf(p.mechanic.id, 'booking_disputed')).toHaveLength(1);
    });

    it('§3.9: a photo whose bytes are not an image is dropped with a warning; the dispute opens', async () => {
      const { p, id } = await booking('check_out_done');
      const fakePng = {
        bytes: Buffer.from('%PDF-1.7 not a picture'),
        filename: 'report.png',
        contentType: 'image/png',
      };

      const response = await withPhotos(
        id,
        buyerToken(p),
        { validated: 'off', problem_reason: 'other', problem_description: 'See the photo' },
        [png(), fakePng],
      );

      expect(response.body).toEqual({
        status: 'disputed',
        dispute_opened: true,
        photo_count: 1,
        upload_warnings: ['Failed to upload: report.png'],
      });
      expect((await disputesOf(id))[0].photo_urls).toHaveLength(1);
    });

    it('§3.9: a photo over 5 MB is dropped with a warning, not the request; the dispute opens with the others', async () => {
      const { p, id } = await booking('check_out_done');
      const large = png('large.png');
      const oversized = { ...large, bytes: Buffer.concat([large.bytes, Buffer.alloc(5 * 1024 * 1024)]) };

      const response = await withPhotos(
        id,
        buyerToken(p),
        { validated: 'no', problem_reason: 'wrong_info', problem_description: 'See the photos' },
        [png('front.png'), oversized],
      );

      expect({ status: response.status, body: response.body }).toEqual({
        status: 200,
        body: {
          status: 'disputed',
          dispute_opened: true,
          photo_count: 1,
          upload_warnings: ['Failed to upload: large.png'],
        },
      });
      expect((await disputesOf(id))[0].photo_urls).toHaveLength(1);
    });

    it('§3.9 checks 1–4, 6, 7: each bad form → 400 with its message, in order, nothing stored', async () => {
      const { p, id } = await booking('check_out_done');
      const form = { validated: '0', problem_reason: 'wrong_info', problem_description: 'Bad' };
      const cases: [Record<string, string>, ReturnType<typeof png>[], string][] = [
        [{ validated: 'false' }, [], 'problem_reason is required when validated is False'],
        [
          { validated: 'false', problem_reason: 'other' },
          [],
          'problem_description is required when validated is False',
        ],
        [
          { ...form, problem_description: 'x'.repeat(1001) },
          [],
          'problem_description must be 1000 characters or less',
        ],
        [
          { ...form, problem_reason: 'bad_smell' },
          [],
          'Invalid dispute reason. Must be one of: no_show, wrong_info, rude_behavior, other',
        ],
        [form, Array.from({ length: 6 }, () => png()), 'Maximum 5 photos allowed'],
        [
          form,
          [{ bytes: Buffer.from('GIF89a'), filename: 'a.gif', contentType: 'image/gif' }],
          "Invalid photo type 'image/gif'. Only JPEG and PNG are accepted.",
        ],
      ];

      for (const [fields, photos, message] of cases)
        expectDomainError(
          await withPhotos(id, buyerToken(p), fields, photos),
          400,
          message,
          'invalid_dispute',
        );
      expect(await statusOf(id)).toBe('check_out_done');
      expect(await disputesOf(id)).toEqual([]);
    });

    it('§3.9: the booking guards come first (403, 409 state), and an existing dispute is a 409 after the form', async () => {
      const { p, id } = await booking('check_out_done');
      const stranger = await createUser(ctx.testApp.dataSource);
      const confirmed = await booking('confirmed');
      const fields = { validated: 'false', problem_reason: 'other', problem_description: 'x' };

      expect((await withPhotos(id, forgeToken({ sub: stranger.id }), { validated: 'false' })).status).toBe(
        403,
      );
      expect((await withPhotos(confirmed.id, buyerToken(confirmed.p), { validated: 'false' })).status).toBe(
        409,
      );
      await query("INSERT INTO dispute_cases (booking_id, reason, description) VALUES ($1, 'other', 'x')", [
        id,
      ]);
      expect((await withPhotos(id, buyerToken(p), { validated: 'false' })).status).toBe(400);
      expectDomainError(
        await withPhotos(id, buyerToken(p), fields),
        409,
        'A dispute already exists for this booking',
        'dispute_exists',
      );
    });

    it('§3.9: validated must be a form boolean → 422', async () => {
      const { p, id } = await booking('check_out_done');

      const response = await withPhotos(id, buyerToken(p), { validated: 'maybe' });

      expect(response.status).toBe(422);
      expect(response.body.detail[0].loc).toEqual(['body', 'validated']);
    });
  });
});
