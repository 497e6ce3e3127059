import { type EntityManager } from 'typeorm';
import { type InspectionRecords } from '../domain/inspection';

/**
 * T11's rows (§1.4–§1.6), inserted in the check-out transaction. The machine only lets a booking
 * in check_in_done check out, and no earlier state has these rows, so the original's "reuse what
 * exists" branches (§3.7-4) cannot be reached; the UNIQUE keys still stand behind that.
 */
export async function insertInspectionRecords(
  manager: EntityManager,
  bookingId: string,
  { proof, checklist, pdfUrl }: InspectionRecords,
  at: Date,
): Promise<void> {
  await manager.query(
    `INSERT INTO validation_proofs (booking_id, photo_plate_url, photo_odometer_url, entered_plate,
                                    entered_odometer_km, gps_lat, gps_lng, additional_photo_urls,
                                    uploaded_at, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'mechanic')`,
    [
      bookingId,
      proof.photoPlateUrl,
      proof.photoOdometerUrl,
      proof.enteredPlate,
      proof.enteredOdometerKm,
      proof.gps?.lat ?? null,
      proof.gps?.lng ?? null,
      // §1.4: null when there are none.
      proof.additionalPhotoUrls.length > 0 ? JSON.stringify(proof.additionalPhotoUrls) : null,
      at,
    ],
  );
  await manager.query(
    `INSERT INTO inspection_checklists (booking_id, brakes, tires, fluids, battery, suspension, body,
                                       exhaust, lights, test_drive_done, test_drive_behavior, remarks,
                                       recommendation, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      bookingId,
      checklist.brakes,
      checklist.tires,
      checklist.fluids,
      checklist.battery,
      checklist.suspension,
      checklist.body,
      checklist.exhaust,
      checklist.lights,
      checklist.test_drive_done,
      checklist.test_drive_behavior,
      checklist.remarks,
      checklist.recommendation,
      at,
    ],
  );
  await manager.query('INSERT INTO reports (booking_id, pdf_url, generated_at) VALUES ($1, $2, $3)', [
    bookingId,
    pdfUrl,
    at,
  ]);
}

/** The stored URL of the booking's report PDF, or null before check-out. */
export async function reportUrlOf(manager: EntityManager, bookingId: string): Promise<string | null> {
  const rows: { pdf_url: string }[] = await manager.query(
    'SELECT pdf_url FROM reports WHERE booking_id = $1',
    [bookingId],
  );
  return rows[0]?.pdf_url ?? null;
}
