import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type BookingColumns, createBookingParties, type BookingParties } from '../support/booking-factories';
import { insertPaidBooking } from '../support/booking-payments';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { solidJpeg, solidPng } from '../support/images';
import { createMechanic } from '../support/mechanic-factories';
import { inkOnFirstPage, pdfText } from '../support/pdf';
import { DEFAULT_PDF_RENDERER_OPTIONS, PdfRenderer } from '../../src/reports/pdf/pdf-renderer';
import { InspectionRecordsPersonalData } from '../../src/bookings/persistence/inspection-records.personal-data';
import { InspectionFileReferences } from '../../src/bookings/persistence/inspection-stored-files';
import { type UserEntity } from '../../src/identity/persistence/user.entity';
import { useStripeTestApp } from '../support/stripe-test-app';

const INVALID = 'invalid_check_out';
const REPORT_FAILED = 'Failed to generate PDF report. Please try again or contact support.';

type Photo = { bytes: Buffer; type: string; name?: string };

interface CheckOutParts {
  /** Text fields over FLOW-09's; `undefined` leaves one out. */
  fields?: Record<string, string | number | undefined>;
  plate?: Photo | null;
  odometer?: Photo | null;
  additional?: Photo[];
}

/** FLOW-09's checklist, plus a key the schema does not know (ignored, §3.7). */
const checklist = (overrides: Record<string, unknown> = {}) => ({
  brakes: 'ok',
  tires: 'warning',
  fluids: 'ok',
  battery: 'ok',
  suspension: 'ok',
  body: 'good',
  exhaust: 'ok',
  lights: 'ok',
  test_drive_done: true,
  test_drive_behavior: 'normal',
  remarks: 'Embrayage un peu dur',
  recommendation: 'buy',
  unknown_key: 'ignored',
  ...overrides,
});

describe('PATCH /bookings/{id}/check-out and GET /bookings/{id}/report (bookings-payments §3.7, messaging-reports §4)', () => {
  const clock = new FixedClock(new Date('2026-03-02T10:40:00Z'));
  const ctx = useStripeTestApp({ clock });
  let jpeg: Photo;

  beforeAll(async () => {
    jpeg = { bytes: await solidJpeg(48, 32, [30, 96, 200]), type: 'image/jpeg' };
  });

  const query = <T = Record<string, unknown>>(sql: string, params: unknown[]) =>
    ctx.testApp.dataSource.query(sql, params) as Promise<T[]>;

  /** `BK(check_in_done)` (or another status) between the acceptance parties, the mechanic named. */
  async function booking(columns: BookingColumns = {}) {
    const p = await createBookingParties(ctx.testApp.dataSource);
    await query('UPDATE users SET first_name = $2, last_name = $3 WHERE id = $1', [
      p.mechanic.id,
      'Jean',
      'Dupont',
    ]);
    const { id } = await insertPaidBooking(ctx.testApp.dataSource, ctx.fake, p, {
      status: 'check_in_done',
      vehicle_plate: null,
      mechanic_lat: 43.6,
      mechanic_lng: 1.44,
      ...columns,
    });
    return { p, id };
  }

  function checkOut(id: string, token: string, parts: CheckOutParts = {}, ip = newIp()) {
    const request = ctx.testApp.http
      .patch(`/bookings/${id}/check-out`)
      .set('X-Forwarded-For', ip)
      .set(bearer(token));
    const fields = {
      entered_plate: 'AB-123-CD',
      entered_odometer_km: 85000,
      checklist_json: JSON.stringify(checklist()),
      gps_lat: 43.61,
      gps_lng: 1.45,
      ...parts.fields,
    };
    for (const [name, value] of Object.entries(fields))
      if (value !== undefined) void request.field(name, String(value));
    const attach = (field: string, photo: Photo | null | undefined, name: string) => {
      if (photo)
        void request.attach(field, photo.bytes, { filename: photo.name ?? name, contentType: photo.type });
    };
    attach('photo_plate', parts.plate === undefined ? jpeg : parts.plate, 'plate.jpg');
    attach('photo_odometer', parts.odometer === undefined ? jpeg : parts.odometer, 'odometer.jpg');
    (parts.additional ?? []).forEach((photo, index) =>
      attach('additional_photos', photo, `defect-${index}.jpg`),
    );
    return request;
  }

  const getReport = (id: string, token: string) =>
    ctx.testApp.http
      .get(`/bookings/${id}/report`)
      .set('X-Forwarded-For', newIp())
      .set(bearer(token))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });

  const statusOf = async (id: string) =>
    (await query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [id]))[0].status;

  /** Nothing of §1.4–§1.6 was written and the booking did not move. */
  async function expectNothingRecorded(id: string, status = 'check_in_done') {
    const [counts] = await query(
      `SELECT (SELECT count(*)::int FROM validation_proofs WHERE booking_id = $1) AS proofs,
              (SELECT count(*)::int FROM inspection_checklists WHERE booking_id = $1) AS checklists,
              (SELECT count(*)::int FROM reports WHERE booking_id = $1) AS reports,
              (SELECT count(*)::int FROM notifications WHERE data->>'booking_id' = $1::text AND type = 'check_out_done') AS notifications`,
      [id],
    );
    expect({ status: await statusOf(id), ...counts }).toEqual({
      status,
      proofs: 0,
      checklists: 0,
      reports: 0,
      notifications: 0,
    });
  }

  const storedFile = (url: string) =>
    readFile(join(ctx.testApp.config.STORAGE_DIR, url.replace(/^\/uploads\//, '')));

  describe('check-out', () => {
    it('FLOW-09: proof, checklist and report recorded with the status; the buyer notified with the private route', async () => {
      const { p, id } = await booking();

      const response = await checkOut(id, p.mechanic.token);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        pdf_url: expect.stringMatching(/^\/uploads\/reports\/[0-9a-f-]{36}\.pdf$/),
      });
      const pdfUrl = response.body.pdf_url as string;
      const [proof] = await query('SELECT * FROM validation_proofs WHERE booking_id = $1', [id]);
      expect(proof).toMatchObject({
        photo_plate_url: expect.stringMatching(/^\/uploads\/proofs\/[0-9a-f-]{36}\.jpg$/),
        photo_odometer_url: expect.stringMatching(/^\/uploads\/proofs\/[0-9a-f-]{36}\.jpg$/),
        entered_plate: 'AB-123-CD',
        entered_odometer_km: 85000,
        gps_lat: '43.610000',
        gps_lng: '1.450000',
        additional_photo_urls: null,
        uploaded_by: 'mechanic',
        uploaded_at: clock.now(),
      });
      const [list] = await query('SELECT * FROM inspection_checklists WHERE booking_id = $1', [id]);
      const { unknown_key: _ignored, ...expected } = checklist();
      expect(list).toMatchObject({ ...expected, created_at: clock.now() });
      expect(await query('SELECT pdf_url, generated_at FROM reports WHERE booking_id = $1', [id])).toEqual([
        { pdf_url: pdfUrl, generated_at: clock.now() },
      ]);
      const [row] = await query('SELECT * FROM bookings WHERE id = $1', [id]);
      expect(row).toMatchObject({
        status: 'check_out_done',
        check_out_at: clock.now(),
        // §12.3: the mechanic's position is no longer needed.
        mechanic_lat: null,
        mechanic_lng: null,
      });
      expect(
        await query(
          'SELECT from_status, to_status, event, actor_role FROM booking_transitions WHERE booking_id = $1 AND event = $2',
          [id, 'check_out'],
        ),
      ).toEqual([
        {
          from_status: 'check_in_done',
          to_status: 'check_out_done',
          event: 'check_out',
          actor_role: 'mechanic',
        },
      ]);
      expect(
        await query('SELECT title, body, data FROM notifications WHERE user_id = $1 AND type = $2', [
          p.buyer.id,
          'check_out_done',
        ]),
      ).toEqual([
        {
          title: 'Rapport pret !',
          body: "Le mecanicien a termine l'inspection. Consultez votre rapport.",
          data: { type: 'check_out_done', booking_id: id, pdf_url: `/bookings/${id}/report` },
        },
      ]);
      // The files: two JPEG proofs as received, and a PDF.
      expect((await storedFile(proof.photo_plate_url as string)).equals(jpeg.bytes)).toBe(true);
      expect((await storedFile(proof.photo_odometer_url as string)).equals(jpeg.bytes)).toBe(true);
      const pdf = await storedFile(pdfUrl);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = await pdfText(pdf);
      for (const expectedText of [
        'AB-123-CD',
        '85 000 km',
        'Achat recommande',
        'Inspecteur : Jean Dupont',
        'Effectue - Normal',
        'Embrayage un peu dur',
      ])
        expect(text).toContain(expectedText);
      await ctx.assertMoneyConsistent(id);
    });

    it("REP-08: an 'avoid' report, read back through GET /bookings/{id}/report: page 1 drawn, French labels, spaced odometer", async () => {
      const { p, id } = await booking({ vehicle_plate: 'ZZ-999-ZZ' });
      const avoid = checklist({
        brakes: 'critical',
        tires: 'critical',
        fluids: 'low',
        battery: 'weak',
        suspension: 'broken',
        body: 'bad',
        exhaust: 'hole',
        lights: 'defect',
        test_drive_behavior: 'dangerous',
        recommendation: 'avoid',
      });

      const response = await checkOut(id, p.mechanic.token, {
        fields: {
          entered_plate: undefined,
          entered_odometer_km: 123456,
          checklist_json: JSON.stringify(avoid),
        },
        plate: { bytes: solidPng(64, 40, [200, 40, 40]), type: 'image/png' },
        additional: [jpeg, { bytes: solidPng(40, 30, [20, 160, 20]), type: 'image/png' }],
      });
      expect(response.status).toBe(200);

      const report = await getReport(id, p.mechanic.token);
      expect(report.status).toBe(200);
      expect(report.headers['content-type']).toBe('application/pdf');
      const pdf = report.body as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(await inkOnFirstPage(pdf)).toBeGreaterThan(0.02);
      const text = await pdfText(pdf);
      for (const label of [
        'Critique',
        'Bas',
        'Faible',
        'Casse',
        'Mauvais',
        'Troue',
        'Defaillant',
        'Effectue - Dangereux',
        'Achat deconseille',
        '123 456 km',
        'Photo 2',
      ])
        expect(text).toContain(label);
      // No plate entered: the booking's plate is the proof's (§3.7 effective_plate).
      expect(text).toContain('ZZ-999-ZZ');
      const [proof] = await query<{ entered_plate: string; additional_photo_urls: string[] }>(
        'SELECT entered_plate, additional_photo_urls FROM validation_proofs WHERE booking_id = $1',
        [id],
      );
      expect(proof.entered_plate).toBe('ZZ-999-ZZ');
      expect(proof.additional_photo_urls).toEqual([
        expect.stringMatching(/^\/uploads\/proofs\/.+\.jpg$/),
        expect.stringMatching(/^\/uploads\/proofs\/.+\.png$/),
      ]);
    });

    it("FLOW-10: another mechanic's booking 403; a confirmed booking 409; an unknown one 404; nothing recorded", async () => {
      const { id } = await booking();
      const other = await createMechanic(ctx.testApp.dataSource);
      expectDomainError(await checkOut(id, other.token), 403, 'Not your booking', 'not_your_booking');
      await expectNothingRecorded(id);

      const confirmed = await booking({ status: 'confirmed' });
      expectDomainError(
        await checkOut(confirmed.id, confirmed.p.mechanic.token),
        409,
        "Cannot check out: booking status is 'confirmed'",
        'booking_state_conflict',
      );
      await expectNothingRecorded(confirmed.id, 'confirmed');

      expectDomainError(
        await checkOut('6f1c2a4e-0000-4000-8000-000000000000', other.token),
        404,
        'Booking not found',
        'booking_not_found',
      );
      // A buyer is not a mechanic (§0.7).
      const buyer = forgeToken({ sub: confirmed.p.buyer.id });
      expect((await checkOut(confirmed.id, buyer)).status).toBe(403);
    });

    it('FLOW-11: a checklist that is not JSON is "Invalid JSON"; one off the schema "Invalid data"; nothing recorded', async () => {
      const { p, id } = await booking();
      const cases: [string, string][] = [
        ['NOT VALID JSON {{{', 'Invalid JSON'],
        [JSON.stringify(checklist({ recommendation: 'INVALID_VALUE' })), 'Invalid data'],
        [JSON.stringify(checklist({ remarks: 'x'.repeat(501) })), 'Invalid data'],
        [JSON.stringify(checklist({ remarks: 'nul \u0000 byte' })), 'Invalid data'],
        [JSON.stringify(checklist({ test_drive_done: undefined })), 'Invalid data'],
        [JSON.stringify([checklist()]), 'Invalid data'],
      ];
      for (const [json, message] of cases) {
        expectDomainError(
          await checkOut(id, p.mechanic.token, { fields: { checklist_json: json } }),
          400,
          message,
          INVALID,
        );
      }
      await expectNothingRecorded(id);
      // 500 characters are allowed.
      const longest = checklist({ remarks: 'x'.repeat(500) });
      expect(
        (await checkOut(id, p.mechanic.token, { fields: { checklist_json: JSON.stringify(longest) } }))
          .status,
      ).toBe(200);
    });

    it('FLOW-12: a photo whose bytes are not the declared JPEG is "Invalid data"; nothing stored or recorded', async () => {
      const { p, id } = await booking();

      const response = await checkOut(id, p.mechanic.token, {
        plate: { bytes: Buffer.from('fake-jpeg-data'), type: 'image/jpeg' },
      });

      expectDomainError(response, 400, 'Invalid data', INVALID);
      await expectNothingRecorded(id);
    });

    it('§3.7-3: a photo over 5 MB is "Invalid data" as every photo that fails its checks; nothing recorded', async () => {
      const { p, id } = await booking();
      const oversized = Buffer.concat([jpeg.bytes, Buffer.alloc(5 * 1024 * 1024)]);

      const response = await checkOut(id, p.mechanic.token, {
        odometer: { bytes: oversized, type: 'image/jpeg' },
      });

      expectDomainError(response, 400, 'Invalid data', INVALID);
      await expectNothingRecorded(id);
    });

    it('FLOW-13: a 500-character plate, a negative odometer, an out-of-range latitude or longitude are 400s', async () => {
      const { p, id } = await booking();
      const cases: [Record<string, string | number>, string][] = [
        [{ entered_plate: 'A'.repeat(500) }, 'Plate number must be 20 characters or less'],
        [{ entered_odometer_km: -99999 }, 'Odometer reading must be non-negative'],
        [{ gps_lat: 95 }, 'GPS latitude must be between -90 and 90'],
        [{ gps_lng: 200 }, 'GPS longitude must be between -180 and 180'],
      ];
      for (const [fields, message] of cases)
        expectDomainError(await checkOut(id, p.mechanic.token, { fields }), 400, message, INVALID);
      await expectNothingRecorded(id);
    });

    it('N13.25: one GPS coordinate without the other is a 400, never the database CHECK as a 500', async () => {
      const { p, id } = await booking();
      for (const fields of [{ gps_lng: undefined }, { gps_lat: undefined }])
        expectDomainError(
          await checkOut(id, p.mechanic.token, { fields }),
          400,
          'GPS latitude and longitude must be given together',
          INVALID,
        );
      await expectNothingRecorded(id);
      // Neither is fine: the proof has no position.
      expect(
        (await checkOut(id, p.mechanic.token, { fields: { gps_lat: undefined, gps_lng: undefined } })).status,
      ).toBe(200);
      expect(
        await query('SELECT gps_lat, gps_lng FROM validation_proofs WHERE booking_id = $1', [id]),
      ).toEqual([{ gps_lat: null, gps_lng: null }]);
    });

    it('§3.7 order: the plate rules come first, the photo limits after the checklist; the schema errors are 422', async () => {
      const { p, id } = await booking();
      // Everything wrong at once: the first rule of the list answers.
      expectDomainError(
        await checkOut(id, p.mechanic.token, {
          fields: { entered_plate: 'A'.repeat(21), entered_odometer_km: -1, checklist_json: '{' },
        }),
        400,
        'Plate number must be 20 characters or less',
        INVALID,
      );
      expectDomainError(
        await checkOut(id, p.mechanic.token, { fields: { entered_plate: '' } }),
        400,
        'Vehicle plate is required',
        INVALID,
      );
      expectDomainError(
        await checkOut(id, p.mechanic.token, { additional: Array.from({ length: 11 }, () => jpeg) }),
        400,
        'Maximum 10 additional photos allowed',
        INVALID,
      );
      // §12.4: pictures only, checked after the checklist.
      expectDomainError(
        await checkOut(id, p.mechanic.token, {
          odometer: { bytes: Buffer.from('%PDF-1.7\n'), type: 'application/pdf' },
        }),
        400,
        'Only JPEG and PNG images are accepted for inspection photos, got application/pdf',
        INVALID,
      );
      // A photo over 5 MB is cut off while it is received.
      const big = { bytes: Buffer.concat([jpeg.bytes, Buffer.alloc(5 * 1024 * 1024)]), type: 'image/jpeg' };
      expect((await checkOut(id, p.mechanic.token, { plate: big })).status).toBe(400);

      const missingPhoto = await checkOut(id, p.mechanic.token, { plate: null });
      expect(missingPhoto.status).toBe(422);
      expect(missingPhoto.body.detail).toEqual([
        expect.objectContaining({ type: 'missing', loc: ['body', 'photo_plate'] }),
      ]);
      for (const fields of [
        { checklist_json: undefined },
        { entered_odometer_km: 'lots' },
        { entered_odometer_km: 2 ** 31 },
        { gps_lat: 'north' },
      ])
        expect((await checkOut(id, p.mechanic.token, { fields })).status).toBe(422);
      await expectNothingRecorded(id);

      // Ten photos are the maximum, kept in order.
      const ten = await checkOut(id, p.mechanic.token, {
        additional: Array.from({ length: 10 }, () => jpeg),
      });
      expect(ten.status).toBe(200);
      const [proof] = await query<{ additional_photo_urls: string[] }>(
        'SELECT additional_photo_urls FROM validation_proofs WHERE booking_id = $1',
        [id],
      );
      expect(proof.additional_photo_urls).toHaveLength(10);
    });

    it('a photo with JPEG magic bytes that does not decode: the report shows an empty frame, never a 500', async () => {
      const { p, id } = await booking();
      const broken = {
        bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg')]),
        type: 'image/jpeg',
      };

      const response = await checkOut(id, p.mechanic.token, { odometer: broken });

      expect(response.status).toBe(200);
      const text = await pdfText(await storedFile(response.body.pdf_url as string));
      expect(text).toContain('Image illisible');
      expect(text).toContain("Plaque d'immatriculation");
    });

    it('§3.0: 10 check-outs an hour per client address, then 429', async () => {
      const { p, id } = await booking({ status: 'confirmed' });
      const ip = newIp();
      for (let attempt = 0; attempt < 10; attempt++)
        expect((await checkOut(id, p.mechanic.token, {}, ip)).status).toBe(409);

      const refused = await checkOut(id, p.mechanic.token, {}, ip);

      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 429,
        body: { error: 'Rate limit exceeded: 10 per 1 hour' },
      });
    });

    it('I-2: two check-outs of one booking at once: one 200, one 409, one set of rows (×20)', async () => {
      for (let round = 0; round < 20; round++) {
        const { p, id } = await booking();

        const responses = await Promise.all([checkOut(id, p.mechanic.token), checkOut(id, p.mechanic.token)]);

        expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
        const [counts] = await query(
          `SELECT (SELECT count(*)::int FROM validation_proofs WHERE booking_id = $1) AS proofs,
                  (SELECT count(*)::int FROM reports WHERE booking_id = $1) AS reports,
                  (SELECT count(*)::int FROM booking_transitions WHERE booking_id = $1 AND event = 'check_out') AS transitions`,
          [id],
        );
        expect(counts).toEqual({ proofs: 1, reports: 1, transitions: 1 });
        const winner = responses.find((response) => response.status === 200)!;
        expect(await query('SELECT pdf_url FROM reports WHERE booking_id = $1', [id])).toEqual([
          { pdf_url: winner.body.pdf_url },
        ]);
      }
    });
  });

  describe('H-024: the report render is bounded and off the event loop', () => {
    let stuck: PdfRenderer;

    beforeAll(() => {
      // The application's renderer hands its reports to one whose worker spins forever on the address
      // "hang"; the timeout is shorter than 30 s for the test, long enough for a worker to start.
      stuck = new PdfRenderer({
        ...DEFAULT_PDF_RENDERER_OPTIONS,
        timeoutMs: 5_000,
        maxThreads: 1,
        workerFile: join(__dirname, '../support/fixtures/stuck-pdf.worker.ts'),
      });
      jest
        .spyOn(ctx.testApp.app.get(PdfRenderer), 'inspectionReport')
        .mockImplementation((input) => stuck.inspectionReport(input));
    });

    afterAll(async () => {
      jest.restoreAllMocks();
      await stuck.onApplicationShutdown();
    });

    it('H-024: a render that never ends is killed at the timeout: the prescribed 500, nothing recorded, the API answering meanwhile', async () => {
      const { p, id } = await booking({ meeting_address: 'hang' });
      const delay = monitorEventLoopDelay({ resolution: 10 });
      const healthTimes: number[] = [];
      let rendering = true;
      const poll = (async () => {
        while (rendering) {
          const started = performance.now();
          expect((await ctx.testApp.http.get('/health').set('X-Forwarded-For', newIp())).status).toBe(200);
          healthTimes.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      delay.enable();

      const started = Date.now();
      const response = await checkOut(id, p.mechanic.token);
      rendering = false;
      delay.disable();
      await poll;

      expectDomainError(response, 500, REPORT_FAILED, 'report_generation_failed');
      expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
      await expectNothingRecorded(id);
      // §3.7-3: the proofs stored before the render are logged as orphans for the weekly sweep.
      const orphaned = ctx.testApp.logs
        .records()
        .find((r) => r.event === 'check_out_files_orphaned' && r.booking_id === id);
      expect(orphaned?.urls).toEqual([
        expect.stringMatching(/^\/uploads\/proofs\//),
        expect.stringMatching(/^\/uploads\/proofs\//),
      ]);
      // The spinning thread is not the API's: /health kept answering while it spun.
      expect(healthTimes.length).toBeGreaterThan(10);
      expect(Math.max(...healthTimes)).toBeLessThan(1_000);
      expect(delay.max / 1e6).toBeLessThan(1_000);

      // The worker was terminated: the one-thread pool renders the next report.
      await query('UPDATE bookings SET meeting_address = $2 WHERE id = $1', [
        id,
        '1 place du Capitole, Toulouse',
      ]);
      expect((await checkOut(id, p.mechanic.token)).status).toBe(200);
    });
  });

  describe('GET /bookings/{id}/report', () => {
    let done: { p: BookingParties; id: string; pdfUrl: string; plateUrl: string };

    beforeAll(async () => {
      const { p, id } = await booking();
      const response = await checkOut(id, p.mechanic.token);
      expect(response.status).toBe(200);
      const [proof] = await query<{ photo_plate_url: string }>(
        'SELECT photo_plate_url FROM validation_proofs WHERE booking_id = $1',
        [id],
      );
      done = { p, id, pdfUrl: response.body.pdf_url as string, plateUrl: proof.photo_plate_url };
    });

    it('serves the stored PDF to the buyer, the mechanic and admins', async () => {
      const stored = await storedFile(done.pdfUrl);
      const admin = await createUser(ctx.testApp.dataSource, { role: 'admin' });
      for (const token of [
        forgeToken({ sub: done.p.buyer.id }),
        done.p.mechanic.token,
        forgeToken({ sub: admin.id }),
      ]) {
        const response = await getReport(done.id, token);
        expect({
          status: response.status,
          type: response.headers['content-type'],
          same: (response.body as Buffer).equals(stored),
        }).toEqual({
          status: 200,
          type: 'application/pdf',
          same: true,
        });
        expect(response.headers['cache-control']).toBe('private, no-store');
      }
    });

    it('404 for an unknown booking or one without a report, 403 for anyone else, 401/403 without a token', async () => {
      const strangerBuyer = await createUser(ctx.testApp.dataSource);
      const strangerMechanic = await createMechanic(ctx.testApp.dataSource);
      for (const token of [forgeToken({ sub: strangerBuyer.id }), strangerMechanic.token]) {
        const response = await getReport(done.id, token);
        expect({ status: response.status, body: JSON.parse(response.body.toString()) }).toMatchObject({
          status: 403,
          body: { detail: 'Not your booking' },
        });
      }
      const unknown = await getReport('6f1c2a4e-0000-4000-8000-000000000000', done.p.mechanic.token);
      expect({ status: unknown.status, detail: JSON.parse(unknown.body.toString()).detail }).toEqual({
        status: 404,
        detail: 'Booking not found',
      });
      const before = await booking();
      const none = await getReport(before.id, before.p.mechanic.token);
      expect({ status: none.status, detail: JSON.parse(none.body.toString()).detail }).toEqual({
        status: 404,
        detail: 'Report not found',
      });
      expect([401, 403]).toContain(
        (await ctx.testApp.http.get(`/bookings/${done.id}/report`).set('X-Forwarded-For', newIp())).status,
      );
    });

    it('the stored proof photos and report are private: /uploads serves them to the participants only', async () => {
      const fetch = (url: string, token: string) =>
        ctx.testApp.http.get(url).set('X-Forwarded-For', newIp()).set(bearer(token));
      for (const url of [done.plateUrl, done.pdfUrl]) {
        expect((await fetch(url, forgeToken({ sub: done.p.buyer.id }))).status).toBe(200);
        expect((await fetch(url, done.p.mechanic.token)).status).toBe(200);
        const stranger = await createUser(ctx.testApp.dataSource);
        expect((await fetch(url, forgeToken({ sub: stranger.id }))).status).toBe(404);
      }
    });

    it('§7.11: the orphaned-file sweep sees the proofs, the additional photos and the report as referenced', async () => {
      const { p, id } = await booking();
      expect((await checkOut(id, p.mechanic.token, { additional: [jpeg] })).status).toBe(200);
      const [proof] = await query<{
        photo_plate_url: string;
        photo_odometer_url: string;
        additional_photo_urls: string[];
      }>(
        'SELECT photo_plate_url, photo_odometer_url, additional_photo_urls FROM validation_proofs WHERE booking_id = $1',
        [id],
      );
      const [report] = await query<{ pdf_url: string }>('SELECT pdf_url FROM reports WHERE booking_id = $1', [
        id,
      ]);
      const recorded = [
        proof.photo_plate_url,
        proof.photo_odometer_url,
        ...proof.additional_photo_urls,
        report.pdf_url,
      ];

      const referenced = await ctx.testApp.app
        .get(InspectionFileReferences)
        .referencedAmong([...recorded, '/uploads/proofs/orphan.jpg']);

      expect([...referenced].sort()).toEqual([...recorded].sort());
    });

    it('GDPR art. 17: erasing the mechanic clears the positions of their check-outs and keeps the rest', async () => {
      const { p, id } = await booking();
      expect((await checkOut(id, p.mechanic.token)).status).toBe(200);

      await ctx.testApp.dataSource.transaction((manager) =>
        ctx.testApp.app
          .get(InspectionRecordsPersonalData)
          .erase(manager, { id: p.mechanic.id } as UserEntity),
      );

      expect(
        await query('SELECT gps_lat, gps_lng, entered_plate FROM validation_proofs WHERE booking_id = $1', [
          id,
        ]),
      ).toEqual([{ gps_lat: null, gps_lng: null, entered_plate: 'AB-123-CD' }]);
      expect(await query('SELECT count(*)::int AS n FROM reports WHERE booking_id = $1', [id])).toEqual([
        { n: 1 },
      ]);
    });
  });
});
