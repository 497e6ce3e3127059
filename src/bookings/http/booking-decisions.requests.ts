import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { REFUSAL_REASONS, type RefusalReason } from '../domain/booking-status';

/** A `{booking_id}` that is not a UUID is a 422 (§0.2), before any lookup. */
export class BookingIdParams {
  @IsUUID()
  booking_id!: string;
}

/** PATCH /bookings/{id}/refuse (§3.3). */
export class RefuseBookingRequest {
  @IsIn(REFUSAL_REASONS)
  reason!: RefusalReason;

  @IsOptional()
  @IsString()
  @Matches(/^\d{2}:\d{2}$/)
  proposed_time?: string | null;
}
