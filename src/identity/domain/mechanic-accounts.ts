import { type EntityManager } from 'typeorm';

/** What the mechanic guards decide on (identity §2.0.1). */
export interface MechanicAccountState {
  profileId: string;
  isActive: boolean;
  isIdentityVerified: boolean;
  noShowCount: number;
  suspendedUntil: Date | null;
}

/** `UserWithProfile.mechanic_profile` (identity §2.1): no document URL, coordinates at full precision. */
export interface MechanicProfileSummary {
  id: string;
  city: string;
  city_lat: number | null;
  city_lng: number | null;
  max_radius_km: number;
  free_zone_km: number;
  accepted_vehicle_types: string[];
  rating_avg: number;
  total_reviews: number;
  is_identity_verified: boolean;
  has_cv: boolean;
  has_obd_diagnostic: boolean;
  photo_url: string | null;
  is_active: boolean;
}

/**
 * The port through which identity reaches mechanic profiles without depending on the mechanics
 * module's tables: registration opens the profile inside its own transaction, the mechanic guards
 * read the account state, and /auth/me shows the profile. The mechanics module provides it.
 */
export abstract class MechanicAccounts {
  /** The empty, inactive profile of a newly registered mechanic, with the referral code it used. */
  abstract openProfile(manager: EntityManager, userId: string, referredBy: string | null): Promise<void>;

  abstract accountState(userId: string): Promise<MechanicAccountState | null>;

  abstract profileSummary(manager: EntityManager, userId: string): Promise<MechanicProfileSummary | null>;
}
