import { type MechanicProfileSummary } from '../../identity/domain/mechanic-accounts';
import { type AvailabilityEntity } from '../persistence/availability.entity';
import { type DiplomaEntity } from '../persistence/diploma.entity';
import { type MechanicProfileEntity } from '../persistence/mechanic-profile.entity';

/** MechanicListItem (identity §2.2). Never a document URL: identity papers, selfies and CVs are private. */
export interface MechanicListItem {
  id: string;
  user_id: string;
  city: string;
  city_lat: number | null;
  city_lng: number | null;
  distance_km: number | null;
  max_radius_km: number;
  accepted_vehicle_types: string[];
  rating_avg: number;
  total_reviews: number;
  has_cv: boolean;
  has_obd_diagnostic: boolean;
  is_identity_verified: boolean;
  photo_url: string | null;
  next_available_date: string | null;
  service_location: string;
  garage_address: string | null;
}

/** MechanicListItem + free_zone_km. */
export interface MechanicDetail extends MechanicListItem {
  free_zone_km: number;
}

export interface AvailabilityResponse {
  id: string;
  mechanic_id: string;
  date: string;
  start_time: string;
  end_time: string;
  is_booked: boolean;
  created_at: string;
}

export interface DiplomaResponse {
  id: string;
  name: string;
  year: number | null;
  document_url: string | null;
  created_at: string;
}

/** Public coordinates are rounded to 0.1° (≈ 11 km), for privacy. */
export function roundToTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

export const roundedOrNull = (value: number | null) => (value === null ? null : roundToTenth(value));

interface DetailOptions {
  /** Public views; the owner's own PUT /mechanics/me answer keeps full precision. */
  roundCoordinates: boolean;
  distanceKm?: number | null;
  nextAvailableDate?: string | null;
}

export function mechanicDetail(profile: MechanicProfileEntity, options: DetailOptions): MechanicDetail {
  const coordinate = options.roundCoordinates ? roundedOrNull : (value: number | null) => value;
  return {
    id: profile.id,
    user_id: profile.userId,
    city: profile.city,
    city_lat: coordinate(profile.cityLat),
    city_lng: coordinate(profile.cityLng),
    distance_km: options.distanceKm ?? null,
    max_radius_km: profile.maxRadiusKm,
    free_zone_km: profile.freeZoneKm,
    accepted_vehicle_types: profile.acceptedVehicleTypes,
    rating_avg: profile.ratingAvg,
    total_reviews: profile.totalReviews,
    has_cv: profile.hasCv,
    has_obd_diagnostic: profile.hasObdDiagnostic,
    is_identity_verified: profile.isIdentityVerified,
    photo_url: profile.photoUrl,
    next_available_date: options.nextAvailableDate ?? null,
    service_location: profile.serviceLocation,
    garage_address: profile.garageAddress,
  };
}

export function profileSummary(profile: MechanicProfileEntity): MechanicProfileSummary {
  return {
    id: profile.id,
    city: profile.city,
    city_lat: profile.cityLat,
    city_lng: profile.cityLng,
    max_radius_km: profile.maxRadiusKm,
    free_zone_km: profile.freeZoneKm,
    accepted_vehicle_types: profile.acceptedVehicleTypes,
    rating_avg: profile.ratingAvg,
    total_reviews: profile.totalReviews,
    is_identity_verified: profile.isIdentityVerified,
    has_cv: profile.hasCv,
    has_obd_diagnostic: profile.hasObdDiagnostic,
    photo_url: profile.photoUrl,
    is_active: profile.isActive,
  };
}

export function availabilityResponse(slot: AvailabilityEntity): AvailabilityResponse {
  return {
    id: slot.id,
    mechanic_id: slot.mechanicId,
    date: slot.date,
    start_time: slot.startTime,
    end_time: slot.endTime,
    is_booked: slot.isBooked,
    created_at: slot.createdAt.toISOString(),
  };
}

/** The owner sees the document's URL; public views never do (identity §7.6). */
export function diplomaResponse(diploma: DiplomaEntity, audience: 'owner' | 'public'): DiplomaResponse {
  return {
    id: diploma.id,
    name: diploma.name,
    year: diploma.year,
    document_url: audience === 'owner' ? diploma.documentUrl : null,
    created_at: diploma.createdAt.toISOString(),
  };
}
