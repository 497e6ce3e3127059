import { IsBoolean, IsString, Matches } from 'class-validator';

/** PATCH /bookings/{id}/check-in (§3.5). */
export class CheckInRequest {
  @IsBoolean()
  mechanic_present!: boolean;
}

/**
 * PATCH /bookings/{id}/enter-code (§3.6 with §12.4): exactly the 6 digits check-in issues. The
 * 4-digit schema HEAD kept rejected every real code (N13.31).
 */
export class EnterCodeRequest {
  @IsString()
  @Matches(/^\d{6}$/, { message: "String should match pattern '^\\d{6}$'" })
  code!: string;
}
