import { randomInt } from 'node:crypto';
import { FixedClock } from '../support/clock';
import { geodesicKm } from '../support/geodesic';
import { newIp } from '../support/http';
import { addDays, createMechanic, createSlot } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

/** 10:00 in Paris. */
const NOW = '2026-03-02T09:00:00Z';
const TODAY = '2026-03-02';
const CENTRE = { lat: 45.76, lng: 4.84 };
const TYPES = ['car', 'motorcycle', 'utility'] as const;

interface Mechanic {
  id: string;
  lat: number | null;
  lng: number | null;
  maxRadiusKm: number;
  types: string[];
  verified: boolean;
  active: boolean;
  slots: { date: string; start: string; end: string; booked: boolean }[];
}

interface Search {
  lat: number;
  lng: number;
  radius_km: number;
  vehicle_type: string;
  limit: number;
  offset: number;
}

const uniform = (min: number, max: number) => min + Math.random() * (max - min);
const pick = <T>(values: readonly T[]): T => values[randomInt(values.length)];
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;

/** identity §2.2-16 as written, with N12 fixed: filter everything, sort by distance, then slice. */
function reference(mechanics: Mechanic[], q: Search) {
  const nowTime = '10:00:00';
  return mechanics
    .filter(
      (m) => m.verified && m.active && m.types.includes(q.vehicle_type) && m.lat !== null && m.lng !== null,
    )
    .map((m) => {
      const future = m.slots
        .filter((s) => !s.booked && (s.date > TODAY || (s.date === TODAY && s.end > nowTime)))
        .map((s) => s.date)
        .sort();
      return { m, next: future[0] ?? null, distance: geodesicKm(q.lat, q.lng, m.lat!, m.lng!) };
    })
    .filter(({ m, next, distance }) => next !== null && distance <= q.radius_km && distance <= m.maxRadiusKm)
    .sort((x, y) => x.distance - y.distance || (x.m.id < y.m.id ? -1 : 1))
    .slice(q.offset, q.offset + q.limit)
    .map(({ m, next, distance }) => ({ id: m.id, next_available_date: next, distance_km: distance }));
}

describe('GET /mechanics: the SQL search against a straightforward in-memory search (identity §2.2-16, N12)', () => {
  const ctx = useTestApp({ clock: new FixedClock(new Date(NOW)) });

  it('computes the WGS-84 geodesic distance as GeographicLib does (sub-millimetre)', async () => {
    // Reference values: GeographicLib 2.2 (Karney), Geodesic.WGS84.Inverse(...).s12 / 1000.
    const cases: [number, number, number, number, number][] = [
      [43.61, 1.45, 43.6047, 1.4442, 0.7523363962927798],
      [43.6392, 1.3939, 43.6047, 1.4442, 5.583509382337833],
      [48.8566, 2.3522, 43.6047, 1.4442, 587.9536207686646],
      [51.05, 2.37, 42.7, 2.89, 929.0946383923147],
      [-21.1, 55.5, -20.9, 55.3, 30.376364151174943],
    ];
    for (const [lat1, lng1, lat2, lng2, expected] of cases) {
      const [{ km }] = await ctx.testApp.dataSource.query(
        'SELECT geodesic_distance_km($1, $2, $3, $4) AS km',
        [lat1, lng1, lat2, lng2],
      );
      expect(Math.abs(km - expected)).toBeLessThan(1e-6);
      expect(Math.abs(geodesicKm(lat1, lng1, lat2, lng2) - expected)).toBeLessThan(1e-6);
    }
  });

  it('N12: returns exactly what the in-memory search returns, on random mechanics, slots and queries', async () => {
    const mechanics: Mechanic[] = [];
    for (let i = 0; i < 400; i++) {
      const lat = Math.random() < 0.05 ? null : round6(CENTRE.lat + uniform(-0.6, 0.6));
      const lng = Math.random() < 0.05 ? null : round6(CENTRE.lng + uniform(-0.8, 0.8));
      const maxRadiusKm = randomInt(10, 51);
      const types = TYPES.filter(() => Math.random() < 0.6);
      const verified = Math.random() < 0.9;
      const active = Math.random() < 0.9;
      const fixture = await createMechanic(ctx.testApp.dataSource, {
        lat,
        lng,
        maxRadiusKm,
        freeZoneKm: 0,
        vehicleTypes: types,
        isIdentityVerified: verified,
        isActive: active,
      });
      const slots: Mechanic['slots'] = [];
      // Yesterday to next week, today's included, some already over, some booked; one slot a day.
      const days = [-1, 0, 0, 1, 2, 3, 5, 7].sort(() => Math.random() - 0.5);
      for (const offset of new Set(days.slice(0, randomInt(0, 4)))) {
        const date = addDays(TODAY, offset);
        const startMinutes = randomInt(0, 22) * 60 + randomInt(0, 30);
        const slot = {
          date,
          start: hhmm(startMinutes),
          end: hhmm(startMinutes + 30),
          booked: Math.random() < 0.3,
        };
        await createSlot(ctx.testApp.dataSource, fixture.profileId, { ...slot, isBooked: slot.booked });
        slots.push(slot);
      }
      mechanics.push({
        id: fixture.profileId,
        lat,
        lng,
        maxRadiusKm,
        types: [...types],
        verified,
        active,
        slots,
      });
    }

    let nonEmpty = 0;
    for (let run = 0; run < 60; run++) {
      const query: Search = {
        lat: round6(CENTRE.lat + uniform(-0.5, 0.5)),
        lng: round6(CENTRE.lng + uniform(-0.7, 0.7)),
        radius_km: randomInt(1, 201),
        vehicle_type: pick(TYPES),
        limit: randomInt(1, 30),
        offset: Math.random() < 0.3 ? randomInt(1, 15) : 0,
      };
      const response = await ctx.testApp.http
        .get('/mechanics')
        .set('X-Forwarded-For', newIp())
        .query({ ...query });
      expect(response.status).toBe(200);
      const actual = (
        response.body as { id: string; next_available_date: string; distance_km: number }[]
      ).map((item) => ({
        id: item.id,
        next_available_date: item.next_available_date,
        distance_km: item.distance_km,
      }));
      const expected = reference(mechanics, query).map((item) => ({
        ...item,
        distance_km: Math.round(item.distance_km * 10) / 10,
      }));
      expect({ query, actual }).toEqual({ query, actual: expected });
      if (actual.length > 1) nonEmpty++;
    }
    // The comparison must not pass vacuously on empty pages.
    expect(nonEmpty).toBeGreaterThan(30);
  });
  it('finds the mechanics at the very point searched (distance 0, the bound of the final scan)', async () => {
    // A city's coordinates searched for, and its mechanics placed at them: every result at 0 km.
    const point = { lat: 49.010717, lng: 4.635822 };
    const fixture = await createMechanic(ctx.testApp.dataSource, { ...point });
    await createSlot(ctx.testApp.dataSource, fixture.profileId, { date: addDays(TODAY, 1) });
    const response = await ctx.testApp.http
      .get('/mechanics')
      .set('X-Forwarded-For', newIp())
      .query({ ...point, radius_km: 10 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual([expect.objectContaining({ id: fixture.profileId, distance_km: 0 })]);
  });

  it('ranks by the WGS-84 distance where the nearest-first walk on the sphere disagrees with it', async () => {
    // North of the centre the ellipsoid is flatter than the sphere, east of it rounder: A (10.00 km
    // north) is geodesically nearer than B (10.01 km east), but B is nearer on the unit sphere the
    // search walks first. With limit=1 a walk that stopped at its first result would answer B.
    const centre = { lat: 47, lng: -1 };
    const a = { lat: 47.089932, lng: -1 };
    const b = { lat: 47, lng: -0.8684 };
    const onSphere = (p: { lat: number; lng: number }) => {
      const [lat, lng] = [(p.lat * Math.PI) / 180, (p.lng * Math.PI) / 180];
      return [Math.cos(lat) * Math.cos(lng), Math.cos(lat) * Math.sin(lng), Math.sin(lat)];
    };
    const chord = (p: { lat: number; lng: number }) =>
      Math.hypot(...onSphere(p).map((value, i) => value - onSphere(centre)[i]));
    expect(geodesicKm(centre.lat, centre.lng, a.lat, a.lng)).toBeLessThan(
      geodesicKm(centre.lat, centre.lng, b.lat, b.lng),
    );
    expect(chord(b)).toBeLessThan(chord(a));

    const ids: Record<'a' | 'b', string> = { a: '', b: '' };
    for (const [name, point] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const fixture = await createMechanic(ctx.testApp.dataSource, { ...point, maxRadiusKm: 50 });
      await createSlot(ctx.testApp.dataSource, fixture.profileId, { date: addDays(TODAY, 1) });
      ids[name] = fixture.profileId;
    }
    const page = async (limit: number, offset: number) => {
      const response = await ctx.testApp.http
        .get('/mechanics')
        .set('X-Forwarded-For', newIp())
        .query({ ...centre, radius_km: 20, limit, offset });
      expect(response.status).toBe(200);
      return (response.body as { id: string }[]).map((item) => item.id);
    };
    expect(await page(1, 0)).toEqual([ids.a]);
    expect(await page(1, 1)).toEqual([ids.b]);
    expect(await page(5, 0)).toEqual([ids.a, ids.b]);
  });
});

describe('GET /mechanics: its planner settings end with its statement', () => {
  // A pool of two, one of them held by the test: the searches and the check share the other.
  const ctx = useTestApp({
    clock: new FixedClock(new Date(NOW)),
    env: { DB_POOL_SIZE: '1', DB_MAX_OVERFLOW: '1' },
  });

  it('leaves its connection planning as any other (bitmap scans on, plan cache auto), its statement prepared once', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource, { ...CENTRE });
    await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: addDays(TODAY, 1) });
    const held = ctx.testApp.dataSource.createQueryRunner();
    await held.connect();
    try {
      for (let run = 0; run < 2; run++) {
        const response = await ctx.testApp.http
          .get('/mechanics')
          .set('X-Forwarded-For', newIp())
          .query(CENTRE);
        expect(response.status).toBe(200);
        expect((response.body as { id: string }[]).map((item) => item.id)).toEqual([mechanic.profileId]);
      }
      const [settings] = await ctx.testApp.dataSource.query(
        `SELECT current_setting('enable_bitmapscan') AS bitmap_scans, current_setting('plan_cache_mode') AS plan_cache,
                (SELECT count(*)::int FROM pg_prepared_statements) AS prepared`,
      );
      expect(settings).toEqual({ bitmap_scans: 'on', plan_cache: 'auto', prepared: 1 });
    } finally {
      await held.release();
    }
  });
});
