import { IsInt, IsNumber, IsOptional, IsString, Max } from 'class-validator';
import { NumberFromText } from '../../mechanics/http/field-rules';

/** PostgreSQL `integer`: a larger odometer is a 422 of the schema, never a failed insert. */
const MAX_ODOMETER_KM = 2_147_483_647;

const FINITE = { allowNaN: false, allowInfinity: false } as const;

/**
 * The text fields of PATCH /bookings/{id}/check-out (§3.7), typed as the original's form was: a
 * missing or non-numeric field is a 422; the ranges and the checklist are the handler's 400s, in
 * the contract's order (check-out-form.ts).
 */
export class CheckOutRequest {
  @NumberFromText()
  @IsInt()
  @Max(MAX_ODOMETER_KM)
  entered_odometer_km!: number;

  @IsString()
  checklist_json!: string;

  @IsOptional()
  @IsString()
  entered_plate?: string;

  @IsOptional()
  @NumberFromText()
  @IsNumber(FINITE)
  gps_lat?: number;

  @IsOptional()
  @NumberFromText()
  @IsNumber(FINITE)
  gps_lng?: number;
}
