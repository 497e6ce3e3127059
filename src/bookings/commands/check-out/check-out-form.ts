import { DomainError } from '../../../common/errors/domain-error';
import { type GpsPosition, type InspectionChecklist, parseChecklist } from '../../domain/inspection';

export const MAX_PLATE_LENGTH = 20;
export const MAX_ADDITIONAL_PHOTOS = 10;

/** §12.4 (adopted): inspection photos are pictures, never PDFs. */
const PHOTO_TYPES = ['image/jpeg', 'image/png'];

export const CHECK_OUT_MESSAGES = {
  plateTooLong: 'Plate number must be 20 characters or less',
  plateRequired: 'Vehicle plate is required',
  odometerNegative: 'Odometer reading must be non-negative',
  latitudeRange: 'GPS latitude must be between -90 and 90',
  longitudeRange: 'GPS longitude must be between -180 and 180',
  gpsHalfPair: 'GPS latitude and longitude must be given together',
  invalidJson: 'Invalid JSON',
  invalidData: 'Invalid data',
  tooManyPhotos: 'Maximum 10 additional photos allowed',
  photoType: (mime: string) => `Only JPEG and PNG images are accepted for inspection photos, got ${mime}`,
} as const;

/** The form fields of §3.7 once typed (422 before this for a missing or non-numeric field). */
export interface CheckOutFields {
  enteredOdometerKm: number;
  checklistJson: string;
  enteredPlate: string | null;
  gpsLat: number | null;
  gpsLng: number | null;
}

export interface CheckOutForm {
  plate: string;
  odometerKm: number;
  gps: GpsPosition | null;
  checklist: InspectionChecklist;
}

function invalid(message: string): DomainError {
  return new DomainError('invalid_check_out', message);
}

/**
 * §3.7 step 2 in the contract's order, each a 400 with its message, then the photo types of §12.4
 * (checked after the checklist). N13.25: half a GPS pair is refused here, never by the database.
 */
export function checkOutForm(
  fields: CheckOutFields,
  bookingPlate: string | null,
  photoTypes: { additional: number; all: readonly string[] },
): CheckOutForm {
  const entered = fields.enteredPlate ?? '';
  if (entered.length > MAX_PLATE_LENGTH) throw invalid(CHECK_OUT_MESSAGES.plateTooLong);
  // PostgreSQL text cannot hold NUL; such a plate is no plate.
  if (entered.includes('\u0000')) throw invalid(CHECK_OUT_MESSAGES.invalidData);
  const plate = entered.trim() || (bookingPlate ?? '').trim();
  if (!plate) throw invalid(CHECK_OUT_MESSAGES.plateRequired);
  if (fields.enteredOdometerKm < 0) throw invalid(CHECK_OUT_MESSAGES.odometerNegative);
  const { gpsLat: lat, gpsLng: lng } = fields;
  if (lat !== null && (lat < -90 || lat > 90)) throw invalid(CHECK_OUT_MESSAGES.latitudeRange);
  if (lng !== null && (lng < -180 || lng > 180)) throw invalid(CHECK_OUT_MESSAGES.longitudeRange);
  if ((lat === null) !== (lng === null)) throw invalid(CHECK_OUT_MESSAGES.gpsHalfPair);
  const parsed = parseChecklist(fields.checklistJson);
  if (!parsed.ok)
    throw invalid(
      parsed.problem === 'invalid_json' ? CHECK_OUT_MESSAGES.invalidJson : CHECK_OUT_MESSAGES.invalidData,
    );
  if (photoTypes.additional > MAX_ADDITIONAL_PHOTOS) throw invalid(CHECK_OUT_MESSAGES.tooManyPhotos);
  const wrongType = photoTypes.all.find((mime) => !PHOTO_TYPES.includes(mime));
  if (wrongType !== undefined) throw invalid(CHECK_OUT_MESSAGES.photoType(wrongType));
  return {
    plate,
    odometerKm: fields.enteredOdometerKm,
    gps: lat !== null && lng !== null ? { lat, lng } : null,
    checklist: parsed.checklist,
  };
}
