import { createBookingParties, insertBooking, type BookingParties } from '../support/booking-factories';
import { useTestDataSource } from '../support/test-app-context';

const PROOF = {
  photo_plate_url: '/uploads/proofs/plate.jpg',
  photo_odometer_url: '/uploads/proofs/odometer.jpg',
  entered_plate: 'AB-123-CD',
  entered_odometer_km: 85000,
  uploaded_by: 'mechanic',
};

const CHECKLIST = {
  brakes: 'ok',
  tires: 'warning',
  fluids: 'low',
  battery: 'weak',
  suspension: 'worn',
  body: 'average',
  exhaust: 'rust',
  lights: 'defect',
  test_drive_done: true,
  recommendation: 'avoid',
};

/** The rows check-out writes (migration 1764000005000): whatever code writes them, the rules hold. */
describe('validation_proofs, inspection_checklists and reports constraints (bookings-payments §1.4–§1.6)', () => {
  const ctx = useTestDataSource();
  let parties: BookingParties;

  beforeAll(async () => {
    parties = await createBookingParties(ctx.dataSource);
  });

  const newBooking = () =>
    insertBooking(ctx.dataSource, parties.buyer.id, parties.mechanic.profileId, { status: 'check_in_done' });

  async function insert(table: string, columns: Record<string, unknown>, bookingId?: string) {
    const values = { booking_id: bookingId ?? (await newBooking()), ...columns };
    const names = Object.keys(values);
    await ctx.dataSource.query(
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(values),
    );
  }
  const rejects = (table: string, columns: Record<string, unknown>, constraint: string) =>
    expect(insert(table, columns)).rejects.toMatchObject({
      driverError: expect.objectContaining({ constraint }),
    });

  it('N13.25: a GPS position is both coordinates or neither, within range', async () => {
    await insert('validation_proofs', { ...PROOF, gps_lat: 43.61, gps_lng: 1.45 });
    await insert('validation_proofs', PROOF);
    await rejects(
      'validation_proofs',
      { ...PROOF, gps_lat: 43.61 },
      'ck_validation_proof_gps_both_or_neither',
    );
    await rejects(
      'validation_proofs',
      { ...PROOF, gps_lng: 1.45 },
      'ck_validation_proof_gps_both_or_neither',
    );
    await rejects(
      'validation_proofs',
      { ...PROOF, gps_lat: 91, gps_lng: 0 },
      'ck_validation_proof_gps_lat_range',
    );
  });

  it('§1.4: odometer ≥ 0, a plate, 1 to 10 additional photos (null when none), uploaded by a party', async () => {
    await rejects(
      'validation_proofs',
      { ...PROOF, entered_odometer_km: -1 },
      'ck_validation_proof_odometer_positive',
    );
    await rejects('validation_proofs', { ...PROOF, entered_plate: '' }, 'ck_validation_proof_plate_present');
    await rejects(
      'validation_proofs',
      { ...PROOF, uploaded_by: 'admin' },
      'ck_validation_proof_uploaded_by_valid',
    );
    const photos = (n: number) =>
      JSON.stringify(Array.from({ length: n }, (_, i) => `/uploads/proofs/${i}.jpg`));
    await insert('validation_proofs', { ...PROOF, additional_photo_urls: photos(10) });
    for (const n of [0, 11])
      await rejects(
        'validation_proofs',
        { ...PROOF, additional_photo_urls: photos(n) },
        'ck_validation_proof_additional_photos',
      );
  });

  it('messaging-reports §1.6: checklist values from their lists, remarks ≤ 500', async () => {
    await insert('inspection_checklists', {
      ...CHECKLIST,
      test_drive_behavior: 'suspect',
      remarks: 'x'.repeat(500),
    });
    await rejects(
      'inspection_checklists',
      { ...CHECKLIST, brakes: 'low' },
      'ck_inspection_checklists_brakes_valid',
    );
    await rejects(
      'inspection_checklists',
      { ...CHECKLIST, recommendation: 'maybe' },
      'ck_inspection_checklists_recommendation_valid',
    );
    await rejects(
      'inspection_checklists',
      { ...CHECKLIST, remarks: 'x'.repeat(501) },
      'ck_inspection_checklists_remarks_length',
    );
  });

  it('§1.1 relations: one proof, one checklist and one report per booking', async () => {
    const bookingId = await newBooking();
    await insert('validation_proofs', PROOF, bookingId);
    await insert('inspection_checklists', CHECKLIST, bookingId);
    await insert('reports', { pdf_url: '/uploads/reports/a.pdf' }, bookingId);
    for (const [table, columns, constraint] of [
      ['validation_proofs', PROOF, 'uq_validation_proofs_booking_id'],
      ['inspection_checklists', CHECKLIST, 'uq_inspection_checklists_booking_id'],
      ['reports', { pdf_url: '/uploads/reports/b.pdf' }, 'uq_reports_booking_id'],
    ] as const)
      await expect(insert(table, columns, bookingId)).rejects.toMatchObject({
        driverError: expect.objectContaining({ constraint }),
      });
  });
});
