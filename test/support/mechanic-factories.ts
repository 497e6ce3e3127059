import { type DataSource } from 'typeorm';
import { createUser, forgeToken, type UserFixture, type UserOverrides } from './factories';

/** The acceptance fixture `MP` (toulouse, verified, active), unless overridden. */
export interface ProfileOverrides {
  city?: string;
  lat?: number | null;
  lng?: number | null;
  maxRadiusKm?: number;
  freeZoneKm?: number;
  vehicleTypes?: string[];
  isIdentityVerified?: boolean;
  isActive?: boolean;
  suspendedUntil?: Date | null;
  noShowCount?: number;
  identityDocumentUrl?: string | null;
  selfieWithIdUrl?: string | null;
  cvUrl?: string | null;
}

export interface MechanicFixture extends UserFixture {
  profileId: string;
  token: string;
}

/** Inserts a mechanic user and its profile with SQL, with a valid access token. */
export async function createMechanic(
  dataSource: DataSource,
  profile: ProfileOverrides = {},
  user: UserOverrides = {},
): Promise<MechanicFixture> {
  const fixture = await createUser(dataSource, { ...user, role: 'mechanic' });
  const profileId = await createProfile(dataSource, fixture.id, profile);
  return { ...fixture, profileId, token: forgeToken({ sub: fixture.id }) };
}

export async function createProfile(
  dataSource: DataSource,
  userId: string,
  profile: ProfileOverrides = {},
): Promise<string> {
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO mechanic_profiles (user_id, city, city_lat, city_lng, max_radius_km, free_zone_km,
            accepted_vehicle_types, is_identity_verified, is_active, suspended_until, no_show_count,
            identity_document_url, selfie_with_id_url, cv_url, has_cv)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::varchar, $14::varchar IS NOT NULL) RETURNING id`,
    [
      userId,
      profile.city ?? 'toulouse',
      profile.lat === undefined ? 43.6047 : profile.lat,
      profile.lng === undefined ? 1.4442 : profile.lng,
      profile.maxRadiusKm ?? 50,
      profile.freeZoneKm ?? 10,
      JSON.stringify(profile.vehicleTypes ?? ['car', 'motorcycle']),
      profile.isIdentityVerified ?? true,
      profile.isActive ?? true,
      profile.suspendedUntil ?? null,
      profile.noShowCount ?? 0,
      profile.identityDocumentUrl ?? null,
      profile.selfieWithIdUrl ?? null,
      profile.cvUrl ?? null,
    ],
  );
  return rows[0].id;
}

export interface SlotFixture {
  date: string;
  start?: string;
  end?: string;
  isBooked?: boolean;
}

/** Inserts a slot (default 10:00–11:00, free) and returns its id. */
export async function createSlot(
  dataSource: DataSource,
  profileId: string,
  slot: SlotFixture,
): Promise<string> {
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO availabilities (mechanic_id, date, start_time, end_time, is_booked)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [profileId, slot.date, slot.start ?? '10:00:00', slot.end ?? '11:00:00', slot.isBooked ?? false],
  );
  return rows[0].id;
}

/** `YYYY-MM-DD` of `date` plus `days` (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}
