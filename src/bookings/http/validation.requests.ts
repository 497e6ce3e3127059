import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { MAX_PROBLEM_DESCRIPTION } from '../commands/validate-booking/dispute-form';
import { DISPUTE_REASONS, type DisputeReason } from '../domain/booking-status';

const disputing = (body: { validated?: unknown }) => body.validated === false;

/** PATCH /bookings/{id}/validate (§3.8): a dispute's reason and description are required (DISP-02). */
export class ValidateBookingRequest {
  @IsBoolean()
  validated!: boolean;

  @ValidateIf((body: ValidateBookingRequest) => disputing(body) || body.problem_reason != null)
  @IsIn(DISPUTE_REASONS, {
    message: `Input should be ${DISPUTE_REASONS.map((r) => `'${r}'`).join(', ')}`,
  })
  problem_reason?: DisputeReason | null;

  @ValidateIf((body: ValidateBookingRequest) => disputing(body) || body.problem_description != null)
  @IsString()
  @MaxLength(MAX_PROBLEM_DESCRIPTION)
  problem_description?: string | null;
}

/** §3.9: the spellings of a form boolean the original accepted. */
const FORM_BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  '1': true,
  yes: true,
  on: true,
  false: false,
  '0': false,
  no: false,
  off: false,
};

/**
 * PATCH /bookings/{id}/validate-with-photos (§3.9): the text fields of the form. Their rules are the
 * handler's 400s, checked in the spec's order after the booking's guards.
 */
export class ValidateWithPhotosForm {
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (FORM_BOOLEANS[value.toLowerCase()] ?? value) : value,
  )
  @IsBoolean()
  validated!: boolean;

  @IsOptional()
  @IsString()
  problem_reason?: string;

  @IsOptional()
  @IsString()
  problem_description?: string;
}
