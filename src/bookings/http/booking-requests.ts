import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { VEHICLE_TYPES } from '../domain/booking-status';

const FINITE = { allowNaN: false, allowInfinity: false } as const;

/** §12.1 (adopted): letters, digits, dashes and spaces, as French and foreign plates are written. */
const PLATE = /^[A-Za-z0-9\- ]+$/;

/**
 * `vehicle_year ≤ current year + 1`, the year read in UTC (§12.1). A sanity bound on an input, so it
 * reads the real calendar rather than the injected Clock, as a schema cannot take injections.
 */
const UpToNextYear = () =>
  ValidateBy(
    {
      // Named `max` so that the 422 entry says `less_than_equal`, as pydantic's `le` does.
      name: 'max',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && value <= new Date().getUTCFullYear() + 1,
      },
    },
    { message: () => `Input should be less than or equal to ${new Date().getUTCFullYear() + 1}` },
  );

/** POST /bookings (bookings-payments §3.1). */
export class CreateBookingRequest {
  @IsUUID()
  mechanic_id!: string;

  @IsUUID()
  availability_id!: string;

  @IsIn(VEHICLE_TYPES)
  vehicle_type!: (typeof VEHICLE_TYPES)[number];

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  vehicle_brand!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  vehicle_model!: string;

  @IsInt()
  @Min(1950)
  @UpToNextYear()
  vehicle_year!: number;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  @Matches(PLATE, { message: "String should match pattern '^[A-Za-z0-9\\- ]+$'" })
  vehicle_plate?: string | null;

  @IsOptional()
  @IsBoolean()
  obd_requested: boolean = false;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  meeting_address!: string;

  @IsNumber(FINITE)
  @Min(-90)
  @Max(90)
  meeting_lat!: number;

  @IsNumber(FINITE)
  @Min(-180)
  @Max(180)
  meeting_lng!: number;

  /** The 30-minute sub-slot to book inside the window; its value is checked by the handler (§3.1-3). */
  @IsOptional()
  @IsString()
  @Matches(/^\d{2}:\d{2}$/, { message: "String should match pattern '^\\d{2}:\\d{2}$'" })
  slot_start_time?: string | null;
}

/** A `{booking_id}` that is not a UUID is a 422 (§0.2), before any lookup. */
export class BookingIdParam {
  @IsUUID()
  booking_id!: string;
}

/** PATCH /bookings/{id}/location (§3.12). */
export class LocationUpdateRequest {
  @IsNumber(FINITE)
  @Min(-90)
  @Max(90)
  lat!: number;

  @IsNumber(FINITE)
  @Min(-180)
  @Max(180)
  lng!: number;
}
