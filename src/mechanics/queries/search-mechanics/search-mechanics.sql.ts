import { type WallClockReading } from '../../../common/clock/wall-clock';
import { futureFreeSlot } from '../../domain/slot-clock';
import { type MechanicListItem } from '../../http/mechanic.responses';
import { type SearchMechanicsParams } from '../../http/mechanics.requests';

/**
 * Sent with the statement's EXECUTE in one simple query, whose statements share one implicit
 * transaction: SET LOCAL confines the settings to it. PostgreSQL assumes a fixed selectivity for
 * cube containment, so it expects a few profiles in the box and prefers a bitmap scan that sorts
 * every one of them; with thousands in the box (100,000 mechanics) that sort is most of the cost,
 * while the GiST index walked nearest first stops after a page. The statement is prepared once per
 * connection (prepareSearchStatement) and always runs its generic plan: planning it afresh cost about
 * 1 ms of PostgreSQL's CPU per search, a third of the statement, and the generic plan is the same
 * index-nearest-first plan (the benchmark prints it).
 */
export const SEARCH_PLANNER_SETTINGS =
  'SET LOCAL enable_bitmapscan = off; SET LOCAL plan_cache_mode = force_generic_plan';

/** The name the search statement is prepared under on each pooled connection. */
const SEARCH_STATEMENT_NAME = 'search_mechanics';

/** Prepares searchMechanicsSql's `text` on a connection; its parameters' types are inferred from it. */
export const prepareSearchStatement = (text: string) => `PREPARE ${SEARCH_STATEMENT_NAME} AS ${text}`;

/**
 * Runs the prepared statement with searchMechanicsSql's `values`, as literals quoted by the
 * connection's `escapeLiteral`: a number's shortest decimal form reads back as the same float8.
 */
export function executeSearchStatement(
  values: readonly unknown[],
  escapeLiteral: (text: string) => string,
): string {
  return `EXECUTE ${SEARCH_STATEMENT_NAME}(${values.map((value) => escapeLiteral(String(value))).join(', ')})`;
}

/**
 * A result with the list item's fields (identity §2.2) as PostgreSQL returns them: numerics cast
 * to float8 so the driver hands numbers over, coordinates and distance not yet rounded.
 */
export interface SearchMechanicsRow extends Omit<MechanicListItem, 'distance_km' | 'next_available_date'> {
  distance_km: number;
  next_available_date: string;
}

/** The list item's columns, in its order, so the search answers in one statement. */
const LIST_ITEM_COLUMNS = `m.id, m.user_id, m.city, m.city_lat::float8 AS city_lat, m.city_lng::float8 AS city_lng,
            d.km AS distance_km, m.max_radius_km, m.accepted_vehicle_types, m.rating_avg::float8 AS rating_avg,
            m.total_reviews, m.has_cv, m.has_obd_diagnostic, m.is_identity_verified, m.photo_url,
            next_slot.date::text AS next_available_date, m.service_location, m.garage_address`;

/**
 * Kilometres per radian of great circle, below the WGS-84 geodesic distance between any two points
 * placed on a unit sphere by their geodetic latitude and longitude: a path on the ellipsoid is at
 * least its angle times the smallest radius of curvature (the meridional one at the equator,
 * 6,335.4 km), so `geodesic ≥ 6,300 × angle`. Turns a distance bound into an angle bound that
 * keeps every mechanic the distance could admit.
 */
const KM_PER_RADIAN_BELOW = 6_300;

/**
 * Added to every chord bound. The query's unit vector is computed here and a profile's by
 * PostgreSQL, so one place can come out 1e-16 apart (radians, sine and cosine round differently);
 * without it, a search whose farthest result is 0 km away (at a city's own coordinates, say) lost
 * that result to its final scan's zero bound. A nanoradian is 6 µm.
 */
const CHORD_SLACK = '1e-9::float8';

/** Half the side of the axis-aligned 3-D box around every unit-sphere point within `km`. */
const chordFor = (km: string) =>
  `(2 * sin(least(${km} / ${KM_PER_RADIAN_BELOW}, pi()) / 2) + ${CHORD_SLACK})`;

/** The box of `chord` around the query's unit vector ($3, $4, $5), as a cube the index can test. */
const boxAround = (chord: string) =>
  `cube(ARRAY[$3 - ${chord}, $4 - ${chord}, $5 - ${chord}]::float8[], ARRAY[$3 + ${chord}, $4 + ${chord}, $5 + ${chord}]::float8[])`;

/** The query's unit vector as a point cube; `<->` to it is the chord (Euclidean) distance. */
const QUERY_POINT = 'cube(ARRAY[$3, $4, $5]::float8[])';

/**
 * Within `chord` of the query's point, on the sphere: the box's corners hold about a fifth of what
 * the box holds, and this cheap test spares them the geodesic distance and the slot probe.
 */
const withinChord = (chord: string) => `m.search_location <@ ${boxAround(chord)}
        AND m.search_location <-> ${QUERY_POINT} <= ${chord}`;

/** A result but for the distance and the slot: searchable (the index's predicate), the vehicle type. */
const SEARCHABLE = `m.is_identity_verified AND m.is_active AND m.city_lat IS NOT NULL AND m.city_lng IS NOT NULL
          AND m.accepted_vehicle_types @> jsonb_build_array($6::text)`;

/** The WGS-84 geodesic distance from the query's point to the profile `m`. */
const GEODESIC_KM = 'geodesic_distance_km($1, $2, m.city_lat::float8, m.city_lng::float8)';

/** `km` as the lateral `d`, computed once per profile (OFFSET 0 keeps it from being inlined). */
const distanceAs = (km: string) => `CROSS JOIN LATERAL (SELECT ${km} AS km OFFSET 0) d`;

/**
 * In the final query, the distance `nearest` has already computed for its profiles (the same
 * function on the same arguments, so the same value), else computed. Vincenty in plpgsql is about
 * half of the statement's execution and the final query sees `nearest`'s profiles again: reusing
 * their distances saved 0.2–0.3 ms of PostgreSQL CPU per search (same answers on 3,800 searches).
 * `known` is MATERIALIZED so that its arrays are built once, not once per profile.
 */
const KNOWN_OR_GEODESIC_KM = `coalesce(known.km[array_position(known.id, m.id)], ${GEODESIC_KM})`;

/** Within the search radius and the mechanic's own. */
const WITHIN_REACH = 'd.km <= $7 AND d.km <= m.max_radius_km';

/**
 * The SQL of GET /mechanics (identity §2.2-16, N12 fixed) and its parameters (`now`:
 * SlotClock.now()). On its own so that the search benchmark can `EXPLAIN` the server's statement.
 *
 * The geodesic distance (Vincenty's iteration, the costly part) is computed for about a page's
 * worth of mechanics, not for every one around: `nearest` takes the searchable profiles in the box
 * of the search radius (GiST index on search_location, the profile's place on the unit sphere)
 * nearest first on the great circle, and stops at the first offset+limit results. Any offset+limit results bound the answer by their
 * farthest geodesic distance; the great circle never exceeds the geodesic by more than
 * KM_PER_RADIAN_BELOW allows, so the final query takes every result within that distance on the
 * sphere and sorts them by geodesic distance, then id: the same answer as sorting every result.
 * The final query computes the distance only for the profiles `nearest` did not reach.
 */
export function searchMechanicsSql(
  p: Pick<SearchMechanicsParams, 'lat' | 'lng' | 'radius_km' | 'vehicle_type' | 'limit' | 'offset'>,
  now: WallClockReading,
): { text: string; values: unknown[] } {
  const lat = (p.lat * Math.PI) / 180;
  const lng = (p.lng * Math.PI) / 180;
  return {
    text: `WITH nearest AS (
       SELECT m.id, d.km
         FROM (SELECT m.id, m.city_lat, m.city_lng, m.max_radius_km
                 FROM mechanic_profiles m
                WHERE ${SEARCHABLE}
                  AND ${withinChord(chordFor('$7::float8'))}
                ORDER BY m.search_location <-> ${QUERY_POINT}
               OFFSET 0) m
        ${distanceAs(GEODESIC_KM)}
        WHERE ${WITHIN_REACH}
          AND EXISTS (SELECT FROM availabilities a
                       WHERE a.mechanic_id = m.id AND ${futureFreeSlot('a', '$8::date', '$9::time')})
        LIMIT $10::int + $11::int),
     known AS MATERIALIZED (SELECT array_agg(id) AS id, array_agg(km) AS km FROM nearest)
     SELECT ${LIST_ITEM_COLUMNS}
       FROM known, mechanic_profiles m
      ${distanceAs(KNOWN_OR_GEODESIC_KM)}
      CROSS JOIN LATERAL (
            SELECT a.date FROM availabilities a
             WHERE a.mechanic_id = m.id AND ${futureFreeSlot('a', '$8::date', '$9::time')}
             ORDER BY a.date LIMIT 1) next_slot
      WHERE ${SEARCHABLE} AND ${WITHIN_REACH}
        AND ${withinChord(chordFor('(SELECT max(km) FROM nearest)'))}
      ORDER BY d.km, m.id
      LIMIT $10 OFFSET $11`,
    values: [
      p.lat,
      p.lng,
      Math.cos(lat) * Math.cos(lng),
      Math.cos(lat) * Math.sin(lng),
      Math.sin(lat),
      p.vehicle_type,
      p.radius_km,
      now.date,
      now.time,
      p.limit,
      p.offset,
    ],
  };
}
