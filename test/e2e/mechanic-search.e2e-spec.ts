import { randomUUID } from 'node:crypto';
import { FixedClock } from '../support/clock';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic, createSlot, type ProfileOverrides } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const NOW = '2026-03-02T09:00:00Z';
const TODAY = '2026-03-02';
const TOMORROW = '2026-03-03';
const NEAR_TOULOUSE = { lat: 43.61, lng: 1.45, radius_km: 50, vehicle_type: 'car' };

describe('Mechanics: public search and profile (identity §2.2-16, 27)', () => {
  const ctx = useTestApp({ clock: new FixedClock(new Date(NOW)) });

  beforeEach(async () => {
    await ctx.testApp.dataSource.query('DELETE FROM mechanic_profiles');
  });

  const search = (query: Record<string, string | number>) =>
    ctx.testApp.http.get('/mechanics').set('X-Forwarded-For', newIp()).query(query);
  const detail = (id: string) => ctx.testApp.http.get(`/mechanics/${id}`).set('X-Forwarded-For', newIp());

  /** `MP` with its slot `AV` (tomorrow 10:00–11:00). */
  async function mpWithSlot(overrides: ProfileOverrides = {}) {
    const mp = await createMechanic(ctx.testApp.dataSource, overrides);
    const av = await createSlot(ctx.testApp.dataSource, mp.profileId, { date: TOMORROW });
    return { mp, av };
  }

  it('MECH-01: finds a nearby verified mechanic, with rounded coordinates and distance', async () => {
    const { mp } = await mpWithSlot();
    const response = await search(NEAR_TOULOUSE);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      {
        id: mp.profileId,
        user_id: mp.id,
        city: 'toulouse',
        city_lat: 43.6,
        city_lng: 1.4,
        distance_km: 0.8,
        max_radius_km: 50,
        accepted_vehicle_types: ['car', 'motorcycle'],
        rating_avg: 0,
        total_reviews: 0,
        has_cv: false,
        has_obd_diagnostic: false,
        is_identity_verified: true,
        photo_url: null,
        next_available_date: TOMORROW,
        service_location: 'mobile',
        garage_address: null,
      },
    ]);
  });

  it('MECH-02: filters by vehicle type', async () => {
    await mpWithSlot();
    expect((await search({ ...NEAR_TOULOUSE, vehicle_type: 'utility' })).body).toEqual([]);
    expect((await search({ ...NEAR_TOULOUSE, vehicle_type: 'motorcycle' })).body).toHaveLength(1);
  });

  it('MECH-03: excludes mechanics beyond the query radius', async () => {
    await mpWithSlot();
    expect((await search({ ...NEAR_TOULOUSE, lat: 48.8566, lng: 2.3522 })).body).toEqual([]);
  });

  it('MECH-04: excludes inactive or unverified mechanics', async () => {
    await mpWithSlot({ isActive: false });
    await mpWithSlot({ isIdentityVerified: false });
    expect((await search(NEAR_TOULOUSE)).body).toEqual([]);
  });

  it("MECH-05: the mechanic's own max_radius_km also applies", async () => {
    const { mp } = await mpWithSlot();
    const from = { ...NEAR_TOULOUSE, lat: 43.65, lng: 1.5 };
    expect((await search(from)).body).toHaveLength(1);
    await ctx.testApp.dataSource.query(
      'UPDATE mechanic_profiles SET max_radius_km = 1, free_zone_km = 0 WHERE id = $1',
      [mp.profileId],
    );
    expect((await search(from)).body).toEqual([]);
  });

  it('MECH-06: mechanics with no future free slot are hidden (booked, past, or over today)', async () => {
    const mp = await createMechanic(ctx.testApp.dataSource);
    await createSlot(ctx.testApp.dataSource, mp.profileId, { date: TOMORROW, isBooked: true });
    await createSlot(ctx.testApp.dataSource, mp.profileId, { date: '2026-03-01' });
    // 10:00 in Paris now: a slot that ended at 09:30 local time is over.
    await createSlot(ctx.testApp.dataSource, mp.profileId, { date: TODAY, start: '08:00', end: '09:30' });
    expect((await search(NEAR_TOULOUSE)).body).toEqual([]);
    await createSlot(ctx.testApp.dataSource, mp.profileId, { date: TODAY, start: '09:30', end: '10:30' });
    expect((await search(NEAR_TOULOUSE)).body).toEqual([
      expect.objectContaining({ id: mp.profileId, next_available_date: TODAY }),
    ]);
  });

  it('MECH-07: results are sorted by distance', async () => {
    const { mp } = await mpWithSlot();
    const { mp: mp2 } = await mpWithSlot({ lat: 43.6392, lng: 1.3939, vehicleTypes: ['car'] });
    const response = await search({ ...NEAR_TOULOUSE, lat: 43.6392, lng: 1.3939, radius_km: 100 });
    expect(response.body.map((item: { id: string }) => item.id)).toEqual([mp2.profileId, mp.profileId]);
    expect(response.body[0].distance_km).toBeLessThan(response.body[1].distance_km);
  });

  it('N12: the nearest mechanics are never dropped, and pages reach past 200 candidates', async () => {
    // 260 mechanics around Toulouse, inserted farthest first so that insertion order is not distance order.
    const ids: string[] = [];
    for (let i = 259; i >= 0; i--) {
      const { mp } = await mpWithSlot({ lat: 43.6047 + i * 0.0015, lng: 1.4442 });
      ids.unshift(mp.profileId);
    }
    const nearest = await search({ ...NEAR_TOULOUSE, lat: 43.6047, lng: 1.4442, limit: 10 });
    expect(nearest.body.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 10));
    const beyondTheCap = await search({
      ...NEAR_TOULOUSE,
      lat: 43.6047,
      lng: 1.4442,
      limit: 50,
      offset: 200,
    });
    expect(beyondTheCap.body.map((item: { id: string }) => item.id)).toEqual(ids.slice(200, 250));
  });

  it('answers 422 for invalid parameters (missing lat, out-of-range radius, unknown type)', async () => {
    const response = await search({ lng: 1.45, radius_km: 500, vehicle_type: 'boat', limit: 0 });
    expect(response.status).toBe(422);
    expect(response.body.detail.map((issue: { loc: string[] }) => issue.loc.join('.')).sort()).toEqual([
      'query.lat',
      'query.limit',
      'query.radius_km',
      'query.vehicle_type',
    ]);
  });

  it('MECH-08: the public profile has rounded coordinates, a week of free slots, and no document', async () => {
    const { mp, av } = await mpWithSlot({
      cvUrl: '/uploads/cv/secret.pdf',
      identityDocumentUrl: '/uploads/identity/x.jpg',
    });
    await createSlot(ctx.testApp.dataSource, mp.profileId, { date: '2026-03-01' });
    await createSlot(ctx.testApp.dataSource, mp.profileId, { date: '2026-03-12' });
    await ctx.testApp.dataSource.query(
      "INSERT INTO diplomas (mechanic_id, name, year, document_url) VALUES ($1, 'CAP', 2010, '/uploads/diplomas/d.pdf')",
      [mp.profileId],
    );
    const response = await detail(mp.profileId);
    expect(response.status).toBe(200);
    expect(response.body.profile).toMatchObject({
      id: mp.profileId,
      city: 'toulouse',
      city_lat: 43.6,
      city_lng: 1.4,
      free_zone_km: 10,
      has_cv: true,
      distance_km: null,
      next_available_date: null,
    });
    const body = JSON.stringify(response.body);
    expect(body).not.toContain('secret.pdf');
    expect(body).not.toContain('/uploads/identity');
    expect(response.body.profile).not.toHaveProperty('cv_url');
    expect(response.body.reviews).toEqual([]);
    expect(response.body.availabilities.map((slot: { id: string }) => slot.id)).toEqual([av]);
    expect(response.body.diplomas).toEqual([
      { id: expect.any(String), name: 'CAP', year: 2010, document_url: null, created_at: expect.any(String) },
    ]);
  });

  it('MECH-09: an unknown mechanic is a 404; a malformed id (GET /mechanics/me) a 422', async () => {
    expectDomainError(await detail(randomUUID()), 404, 'Mechanic not found', 'mechanic_not_found');
    const me = await detail('me');
    expect(me.status).toBe(422);
    expect(me.body.detail[0].loc).toEqual(['path', 'mechanic_id']);
  });
});
