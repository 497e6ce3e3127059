import { z } from 'zod';

/** messaging-reports §1.6: the values each checklist item may take. */
export const CHECKLIST_VALUES = {
  brakes: ['ok', 'warning', 'critical'],
  tires: ['ok', 'warning', 'critical'],
  fluids: ['ok', 'low', 'empty'],
  battery: ['ok', 'weak', 'dead'],
  suspension: ['ok', 'worn', 'broken'],
  body: ['good', 'average', 'bad'],
  exhaust: ['ok', 'rust', 'hole'],
  lights: ['ok', 'defect'],
  test_drive_behavior: ['normal', 'suspect', 'dangerous'],
  recommendation: ['buy', 'negotiate', 'avoid'],
} as const;

export const MAX_REMARKS_LENGTH = 500;

/**
 * `checklist_json` of check-out (§3.7). z.object drops unknown keys, as the original ignored them.
 */
const CHECKLIST_SCHEMA = z.object({
  brakes: z.enum(CHECKLIST_VALUES.brakes),
  tires: z.enum(CHECKLIST_VALUES.tires),
  fluids: z.enum(CHECKLIST_VALUES.fluids),
  battery: z.enum(CHECKLIST_VALUES.battery),
  suspension: z.enum(CHECKLIST_VALUES.suspension),
  body: z.enum(CHECKLIST_VALUES.body),
  exhaust: z.enum(CHECKLIST_VALUES.exhaust),
  lights: z.enum(CHECKLIST_VALUES.lights),
  test_drive_done: z.boolean(),
  // Absent or null both mean "not given".
  test_drive_behavior: z
    .enum(CHECKLIST_VALUES.test_drive_behavior)
    .nullish()
    .transform((value) => value ?? null),
  remarks: z
    .string()
    .max(MAX_REMARKS_LENGTH)
    // PostgreSQL text cannot hold NUL: refused here rather than failing the insert.
    .refine((text) => !text.includes('\u0000'))
    .nullish()
    .transform((value) => value ?? null),
  recommendation: z.enum(CHECKLIST_VALUES.recommendation),
});

export type InspectionChecklist = z.output<typeof CHECKLIST_SCHEMA>;

export type ChecklistParse =
  { ok: true; checklist: InspectionChecklist } | { ok: false; problem: 'invalid_json' | 'invalid_data' };

/** Parses the form's JSON text; the caller answers with the contract's two messages. */
export function parseChecklist(json: string): ChecklistParse {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, problem: 'invalid_json' };
  }
  const parsed = CHECKLIST_SCHEMA.safeParse(value);
  return parsed.success ? { ok: true, checklist: parsed.data } : { ok: false, problem: 'invalid_data' };
}

export interface GpsPosition {
  lat: number;
  lng: number;
}

/** The `validation_proofs` row of a check-out (§1.4), its files already stored. */
export interface ValidationProof {
  photoPlateUrl: string;
  photoOdometerUrl: string;
  enteredPlate: string;
  enteredOdometerKm: number;
  gps: GpsPosition | null;
  additionalPhotoUrls: readonly string[];
}

/** T11: what check-out records with the transition (§1.4–§1.6); the report PDF is already stored. */
export interface InspectionRecords {
  proof: ValidationProof;
  checklist: InspectionChecklist;
  pdfUrl: string;
}

/** The private route that serves a booking's report (issue 8): where the buyer's notification points. */
export function reportPath(bookingId: string): string {
  return `/bookings/${bookingId}/report`;
}

/** §3.7: "First Last", else the first name, else the local part of the e-mail address. */
export function mechanicDisplayName(user: {
  firstName: string | null;
  lastName: string | null;
  email: string;
}): string {
  const first = user.firstName?.trim() ?? '';
  const last = user.lastName?.trim() ?? '';
  if (first && last) return `${first} ${last}`;
  return first || user.email.split('@')[0];
}
