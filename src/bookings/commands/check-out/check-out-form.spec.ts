import { DomainError } from '../../../common/errors/domain-error';
import { type CheckOutFields, checkOutForm } from './check-out-form';

const CHECKLIST = {
  brakes: 'ok',
  tires: 'ok',
  fluids: 'ok',
  battery: 'ok',
  suspension: 'ok',
  body: 'good',
  exhaust: 'ok',
  lights: 'ok',
  test_drive_done: false,
  recommendation: 'negotiate',
};

const fields = (overrides: Partial<CheckOutFields> = {}): CheckOutFields => ({
  enteredOdometerKm: 85000,
  checklistJson: JSON.stringify(CHECKLIST),
  enteredPlate: 'AB-123-CD',
  gpsLat: null,
  gpsLng: null,
  ...overrides,
});

const JPEGS = { additional: 0, all: ['image/jpeg', 'image/jpeg'] };

/** The 400 message the form answers with, or 'accepted'. */
function answer(form: CheckOutFields, bookingPlate: string | null = null, photos = JPEGS): string {
  try {
    checkOutForm(form, bookingPlate, photos);
    return 'accepted';
  } catch (error) {
    if (error instanceof DomainError && error.status === 400) return error.detail;
    throw error;
  }
}

describe('checkOutForm (bookings-payments §3.7 step 2, §12.4)', () => {
  it('answers the first broken rule in the contract order', () => {
    const everything = fields({
      enteredPlate: 'X'.repeat(21),
      enteredOdometerKm: -1,
      gpsLat: 91,
      checklistJson: '{',
    });
    expect(answer(everything, null, { additional: 11, all: ['image/gif'] })).toBe(
      'Plate number must be 20 characters or less',
    );
    expect(answer({ ...everything, enteredPlate: null })).toBe('Vehicle plate is required');
    expect(answer({ ...everything, enteredPlate: 'AB' })).toBe('Odometer reading must be non-negative');
    expect(answer({ ...everything, enteredPlate: 'AB', enteredOdometerKm: 0 })).toBe(
      'GPS latitude must be between -90 and 90',
    );
    expect(answer(fields({ gpsLat: 10, gpsLng: -181 }))).toBe('GPS longitude must be between -180 and 180');
    expect(answer(fields({ gpsLat: 10, checklistJson: '{' }))).toBe(
      'GPS latitude and longitude must be given together',
    );
    expect(answer(fields({ checklistJson: '{' }), null, { additional: 11, all: [] })).toBe('Invalid JSON');
    expect(answer(fields(), null, { additional: 11, all: ['application/pdf'] })).toBe(
      'Maximum 10 additional photos allowed',
    );
    expect(answer(fields(), null, { additional: 0, all: ['image/jpeg', 'application/pdf'] })).toBe(
      'Only JPEG and PNG images are accepted for inspection photos, got application/pdf',
    );
  });

  it("falls back on the booking's plate when none is entered (blank counts as none); NUL is no plate", () => {
    expect(checkOutForm(fields({ enteredPlate: '  ' }), ' ZZ-999-ZZ ', JPEGS).plate).toBe('ZZ-999-ZZ');
    expect(answer(fields({ enteredPlate: '' }), '')).toBe('Vehicle plate is required');
    expect(answer(fields({ enteredPlate: 'AB\u0000' }))).toBe('Invalid data');
  });

  it('accepts the edges of every range and a whole GPS pair', () => {
    const form = checkOutForm(fields({ enteredOdometerKm: 0, gpsLat: -90, gpsLng: 180 }), null, {
      additional: 10,
      all: ['image/png'],
    });
    expect(form).toMatchObject({ odometerKm: 0, gps: { lat: -90, lng: 180 } });
  });

  it('messaging-reports §1.6: unknown keys are dropped, absent optional items are null, enums are exact', () => {
    const form = checkOutForm(
      fields({ checklistJson: JSON.stringify({ ...CHECKLIST, extra: 1, remarks: null }) }),
      null,
      JPEGS,
    );
    expect(form.checklist).toEqual({ ...CHECKLIST, test_drive_behavior: null, remarks: null });
    for (const broken of [{ brakes: 'OK' }, { test_drive_done: 'true' }, { test_drive_behavior: 'fast' }])
      expect(answer(fields({ checklistJson: JSON.stringify({ ...CHECKLIST, ...broken }) }))).toBe(
        'Invalid data',
      );
    expect(answer(fields({ checklistJson: 'null' }))).toBe('Invalid data');
  });
});
