import { type WallClockReading } from '../../../common/clock/wall-clock';
import { boundingBox } from '../../domain/search-area';
import { futureFreeSlot } from '../../domain/slot-clock';
import { type SearchMechanicsParams } from '../../http/mechanics.requests';

export interface SearchMechanicsRow {
  id: string;
  distance_km: number;
  next_available_date: string;
}

/**
 * The SQL of GET /mechanics and its parameters (`now`: SlotClock.now()). On its own so that the
 * search benchmark can `EXPLAIN` exactly the statement the server runs.
 */
export function searchMechanicsSql(
  p: Pick<SearchMechanicsParams, 'lat' | 'lng' | 'radius_km' | 'vehicle_type' | 'limit' | 'offset'>,
  now: WallClockReading,
): { text: string; values: unknown[] } {
  const box = boundingBox(p.lat, p.lng, p.radius_km);
  return {
    text: `SELECT m.id, d.km AS distance_km, next_slot.date::text AS next_available_date
         FROM mechanic_profiles m
        CROSS JOIN LATERAL (
              SELECT geodesic_distance_km($1, $2, m.city_lat::float8, m.city_lng::float8) AS km) d
        CROSS JOIN LATERAL (
              SELECT a.date FROM availabilities a
               WHERE a.mechanic_id = m.id AND ${futureFreeSlot('a', '$9::date', '$10::time')}
               ORDER BY a.date LIMIT 1) next_slot
        WHERE m.is_identity_verified AND m.is_active AND m.city_lat IS NOT NULL AND m.city_lng IS NOT NULL
          AND point(m.city_lng::float8, m.city_lat::float8) <@ box(point($3, $4), point($5, $6))
          AND m.accepted_vehicle_types @> jsonb_build_array($7::text)
          AND d.km <= $8 AND d.km <= m.max_radius_km
        ORDER BY d.km, m.id
        LIMIT $11 OFFSET $12`,
    values: [
      p.lat,
      p.lng,
      box.lngMin,
      box.latMin,
      box.lngMax,
      box.latMax,
      p.vehicle_type,
      p.radius_km,
      now.date,
      now.time,
      p.limit,
      p.offset,
    ],
  };
}
