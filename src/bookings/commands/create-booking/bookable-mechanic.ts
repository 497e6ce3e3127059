import { type EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';

/** What §3.1 steps 6–8 decide on, read without a lock (§2.4: only the slot is locked). */
export interface BookableMechanic {
  profileId: string;
  userId: string;
  isIdentityVerified: boolean;
  isActive: boolean;
  suspendedUntil: Date | null;
  acceptedVehicleTypes: string[];
  hasObdDiagnostic: boolean;
  maxRadiusKm: number;
  freeZoneKm: number;
  stripeAccountId: string | null;
  /**
   * §3.1-7: WGS-84 geodesic distance, city → meeting point, unrounded; null without a service
   * location. Computed by `geodesic_distance_km`, the function the mechanic search ranks with.
   */
  distanceKm: number | null;
}

export async function loadBookableMechanic(
  manager: EntityManager,
  profileId: string,
  meeting: { lat: number; lng: number },
): Promise<BookableMechanic | null> {
  const [row]: Record<string, unknown>[] = await manager.query(
    `SELECT id, user_id, is_identity_verified, is_active, suspended_until, accepted_vehicle_types,
            has_obd_diagnostic, max_radius_km, free_zone_km, stripe_account_id,
            geodesic_distance_km(city_lat::float8, city_lng::float8, $2::float8, $3::float8) AS distance_km
       FROM mechanic_profiles WHERE id = $1`,
    [profileId, meeting.lat, meeting.lng],
  );
  if (!row) return null;
  return {
    profileId: row.id as string,
    userId: row.user_id as string,
    isIdentityVerified: row.is_identity_verified as boolean,
    isActive: row.is_active as boolean,
    suspendedUntil: row.suspended_until as Date | null,
    acceptedVehicleTypes: row.accepted_vehicle_types as string[],
    hasObdDiagnostic: row.has_obd_diagnostic as boolean,
    maxRadiusKm: row.max_radius_km as number,
    freeZoneKm: row.free_zone_km as number,
    stripeAccountId: row.stripe_account_id as string | null,
    distanceKm: row.distance_km as number | null,
  };
}

export interface BookingRequestFacts {
  buyerId: string;
  /** The mechanic of the locked slot. */
  slotMechanicId: string;
  vehicleType: string;
  obdRequested: boolean;
  now: Date;
}

const refuse = (code: ConstructorParameters<typeof DomainError>[0], message: string) =>
  new DomainError(code, message);

/**
 * §3.1 steps 6–8 in the contract's order: throws the first reason this mechanic cannot take this
 * booking; otherwise returns the distance the price is computed from.
 */
export function checkBookable(mechanic: BookableMechanic, request: BookingRequestFacts): number {
  if (mechanic.userId === request.buyerId)
    throw refuse('cannot_book_self', 'You cannot book your own services');
  if (!mechanic.isIdentityVerified) throw refuse('mechanic_not_bookable', 'Mechanic not verified');
  if (!mechanic.isActive) throw refuse('mechanic_not_bookable', 'Mechanic is not currently active');
  if (mechanic.suspendedUntil && mechanic.suspendedUntil > request.now) {
    throw refuse('mechanic_not_bookable', 'Mechanic is currently suspended');
  }
  if (request.slotMechanicId !== mechanic.profileId) {
    throw refuse('slot_not_owned', 'Slot does not belong to this mechanic');
  }
  if (!mechanic.acceptedVehicleTypes.includes(request.vehicleType)) {
    throw refuse('service_not_offered', 'Mechanic does not accept this vehicle type');
  }
  if (request.obdRequested && !mechanic.hasObdDiagnostic) {
    throw refuse('service_not_offered', 'This mechanic does not offer OBD diagnostic service');
  }
  if (mechanic.distanceKm === null) {
    throw refuse('service_not_offered', 'Mechanic has not set their service location');
  }
  if (mechanic.distanceKm > mechanic.maxRadiusKm) {
    throw refuse(
      'beyond_radius',
      `Meeting point is ${mechanic.distanceKm.toFixed(1)} km away, beyond mechanic's max radius of ${mechanic.maxRadiusKm} km`,
    );
  }
  if (!mechanic.stripeAccountId) {
    throw refuse('mechanic_payments_not_ready', 'This mechanic has not completed payment onboarding yet');
  }
  return mechanic.distanceKm;
}
