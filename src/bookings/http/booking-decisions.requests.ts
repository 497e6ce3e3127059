import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { REFUSAL_REASONS, type RefusalReason } from '../domain/booking-status';

/** PATCH /bookings/{id}/refuse (§3.3). */
export class RefuseBookingRequest {
  @IsIn(REFUSAL_REASONS)
  reason!: RefusalReason;

  @IsOptional()
  @IsString()
  @Matches(/^\d{2}:\d{2}$/)
  proposed_time?: string | null;
}
