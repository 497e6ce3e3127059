/** Length of one degree of latitude at the equator, the shortest anywhere on the WGS-84 ellipsoid. */
const KM_PER_DEGREE_MIN = 110.574;
/** Covers the small-circle bulge and rounding, so the box never cuts a mechanic within the radius. */
const MARGIN = 1.01;

export interface BoundingBox {
  latMin: number;
  latMax: number;
  lngMin: number;
  lngMax: number;
}

/**
 * The index-friendly prefilter of the search (identity §2.2-16 step 1). The true distance decides
 * who is in; this box only has to contain every point within `radiusKm`, so it is drawn slightly
 * wider than the original's ±radius/111°, which cut up to 0.4 % off the radius near the equator.
 * Across a pole or the antimeridian it spans every longitude.
 */
export function boundingBox(lat: number, lng: number, radiusKm: number): BoundingBox {
  const latDelta = (radiusKm * MARGIN) / KM_PER_DEGREE_MIN;
  const latMin = Math.max(-90, lat - latDelta);
  const latMax = Math.min(90, lat + latDelta);
  const widestParallel = Math.max(Math.abs(latMin), Math.abs(latMax));
  const cos = Math.cos((widestParallel * Math.PI) / 180);
  const lngDelta = (radiusKm * MARGIN) / (KM_PER_DEGREE_MIN * Math.max(cos, 0.01));
  if (widestParallel >= 90 || lng - lngDelta < -180 || lng + lngDelta > 180) {
    return { latMin, latMax, lngMin: -180, lngMax: 180 };
  }
  return { latMin, latMax, lngMin: lng - lngDelta, lngMax: lng + lngDelta };
}
