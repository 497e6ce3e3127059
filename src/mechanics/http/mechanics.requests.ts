import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { LargePageQuery } from '../../common/http/page.query';
import { BodyMayBeOmitted } from '../../common/http/request-validation.pipe';
import {
  SERVICE_LOCATIONS,
  type ServiceLocation,
  VEHICLE_TYPES,
  type VehicleType,
} from '../domain/vehicle-types';
import { DateField, NumberFromText, TimeField } from './field-rules';

/** Validated when present: an explicit `null` on a non-nullable column is a 422, not a 500 (N7). */
const present = (_: object, value: unknown) => value !== undefined;
const FINITE = { allowNaN: false, allowInfinity: false } as const;

export const FREE_ZONE_MESSAGE = 'free_zone_km must be less than or equal to max_radius_km';

/** PUT /mechanics/me (identity §2.2-18): only the fields present change. */
@BodyMayBeOmitted()
export class UpdateProfileRequest {
  @ValidateIf(present)
  @IsString()
  @MaxLength(100)
  city?: string;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(-90)
  @Max(90)
  city_lat?: number | null;

  @IsOptional()
  @IsNumber(FINITE)
  @Min(-180)
  @Max(180)
  city_lng?: number | null;

  @ValidateIf(present)
  @IsInt()
  @Min(10)
  @Max(50)
  max_radius_km?: number;

  @ValidateIf(present)
  @IsInt()
  @Min(0)
  @Max(50)
  @ValidateBy(
    {
      name: 'freeZoneWithinRadius',
      validator: {
        validate: (value, args) => {
          const radius = (args?.object as UpdateProfileRequest).max_radius_km;
          return typeof radius !== 'number' || typeof value !== 'number' || value <= radius;
        },
      },
    },
    { message: FREE_ZONE_MESSAGE },
  )
  free_zone_km?: number;

  @ValidateIf(present)
  @IsArray()
  @IsIn(VEHICLE_TYPES, { each: true })
  accepted_vehicle_types?: VehicleType[];

  @ValidateIf(present)
  @IsBoolean()
  has_obd_diagnostic?: boolean;

  @ValidateIf(present)
  @IsIn(SERVICE_LOCATIONS)
  service_location?: ServiceLocation;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  garage_address?: string | null;
}

/** POST /mechanics/me/diplomas: the text parts of the multipart form. */
export class AddDiplomaRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name!: string;

  /** Not range-checked (identity §2.2-22). */
  @IsOptional()
  @NumberFromText()
  @IsInt()
  year?: number;
}

export class DiplomaIdParam {
  @IsUUID()
  diploma_id!: string;
}

/** POST /mechanics/availabilities: a wall-clock slot in APP_TIMEZONE (N23). */
export class CreateAvailabilityRequest {
  @DateField()
  date!: string;

  @TimeField()
  start_time!: string;

  @TimeField()
  @ValidateBy(
    {
      name: 'endAfterStart',
      validator: {
        // Same-format strings (HH:MM:SS) compare in time order.
        validate: (value, args) => {
          const start = (args?.object as CreateAvailabilityRequest).start_time;
          return typeof start !== 'string' || typeof value !== 'string' || value > start;
        },
      },
    },
    { message: 'end_time must be after start_time' },
  )
  end_time!: string;
}

export class AvailabilityIdParam {
  @IsUUID()
  availability_id!: string;
}

/** GET /mechanics/availabilities. */
export class ListAvailabilitiesParams {
  @IsUUID()
  mechanic_id!: string;

  @DateField()
  date_from!: string;

  @DateField()
  date_to!: string;

  @NumberFromText()
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 200;
}

/** GET /mechanics (identity §2.2-16). */
export class SearchMechanicsParams extends LargePageQuery {
  @NumberFromText()
  @IsNumber(FINITE)
  @Min(-90)
  @Max(90)
  lat!: number;

  @NumberFromText()
  @IsNumber(FINITE)
  @Min(-180)
  @Max(180)
  lng!: number;

  @NumberFromText()
  @IsInt()
  @Min(1)
  @Max(200)
  radius_km: number = 50;

  @IsIn(VEHICLE_TYPES)
  vehicle_type: VehicleType = 'car';
}

export class MechanicIdParam {
  @IsUUID()
  mechanic_id!: string;
}

/** PATCH /admin/mechanics/{id}/verify. */
export class VerifyMechanicRequest {
  @IsBoolean()
  approved!: boolean;
}
