import { randomUUID } from 'node:crypto';
import { FixedClock } from '../support/clock';
import { bearer, createUser, FIXTURE_PASSWORD, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic, createSlot } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const FREE_ZONE = 'free_zone_km must be less than or equal to max_radius_km';
type Method = 'get' | 'put' | 'post' | 'delete';

describe('Mechanics: registration, guards and the own profile (identity §2.0.1, §2.2-18, 22, 23)', () => {
  const clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
  const ctx = useTestApp({ clock });

  function call(method: Method, path: string, token?: string) {
    const request = ctx.testApp.http[method](path).set('X-Forwarded-For', newIp());
    return token ? request.set(bearer(token)) : request;
  }

  const profileRow = async (id: string) =>
    (await ctx.testApp.dataSource.query('SELECT * FROM mechanic_profiles WHERE id = $1', [id]))[0];

  it('AUTH-02: registering a mechanic creates an empty, inactive profile without Null Island coordinates', async () => {
    const email = `mech-${randomUUID().slice(0, 8)}@emecano-test.fr`;
    const registered = await call('post', '/auth/register').send({
      email,
      password: 'SecurePass123',
      role: 'mechanic',
      cgu_accepted: true,
    });
    expect(registered.status).toBe(201);
    // Registration answers no tokens (D1): verify the address as the e-mail would, then log in.
    await ctx.testApp.dataSource.query('UPDATE users SET is_verified = true WHERE email = $1', [email]);
    const login = await call('post', '/auth/login').send({ email, password: 'SecurePass123' });
    const me = await call('get', '/auth/me', login.body.access_token);

    expect(me.status).toBe(200);
    expect(me.body.role).toBe('mechanic');
    expect(me.body.mechanic_profile).toEqual({
      id: expect.any(String),
      city: '',
      city_lat: null,
      city_lng: null,
      max_radius_km: 30,
      free_zone_km: 10,
      accepted_vehicle_types: ['car'],
      rating_avg: 0,
      total_reviews: 0,
      is_identity_verified: false,
      has_cv: false,
      has_obd_diagnostic: false,
      photo_url: null,
      is_active: false,
    });
    const row = await profileRow(me.body.mechanic_profile.id);
    expect(row).toMatchObject({
      is_active: false,
      accepted_vehicle_types: ['car'],
      city_lat: null,
      city_lng: null,
    });
  });

  it('AUTH-07: /auth/me shows the profile to a mechanic and null to a buyer', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const buyer = await createUser(ctx.testApp.dataSource);

    const asMechanic = await call('get', '/auth/me', mechanic.token);
    expect(asMechanic.body).toMatchObject({
      role: 'mechanic',
      mechanic_profile: { id: mechanic.profileId, city: 'toulouse', city_lat: 43.6047, city_lng: 1.4442 },
    });
    const asBuyer = await call('get', '/auth/me', forgeToken({ sub: buyer.id }));
    expect(asBuyer.body).toMatchObject({ role: 'buyer', mechanic_profile: null });
  });

  it('AUTH-25(b): a buyer calling PUT /mechanics/me gets 403 "Only mechanics…"', async () => {
    const buyer = await createUser(ctx.testApp.dataSource);
    expectDomainError(
      await call('put', '/mechanics/me', forgeToken({ sub: buyer.id })).send({ city: 'nantes' }),
      403,
      'Only mechanics can access this resource',
      'access_denied',
    );
  });

  describe('AUTH-26: the mechanic account-state guard', () => {
    it('(a) a mechanic user without a profile: 404', async () => {
      const user = await createUser(ctx.testApp.dataSource, { role: 'mechanic' });
      expectDomainError(
        await call('put', '/mechanics/me', forgeToken({ sub: user.id })).send({ city: 'nantes' }),
        404,
        'Mechanic profile not found',
        'mechanic_profile_not_found',
      );
    });

    it('(b) a deactivated profile (approved earlier, so not onboarding): 403 "deactivated"', async () => {
      const mechanic = await createMechanic(ctx.testApp.dataSource, { isActive: false });
      expectDomainError(
        await call('put', '/mechanics/me', mechanic.token).send({ city: 'nantes' }),
        403,
        'Account has been deactivated',
        'account_deactivated',
      );
    });

    it('(c) a running suspension: 403 "suspended", without the date', async () => {
      const until = new Date(clock.now().getTime() + 30 * 86_400_000);
      const mechanic = await createMechanic(ctx.testApp.dataSource, { suspendedUntil: until });
      const response = await call('put', '/mechanics/me', mechanic.token).send({ city: 'nantes' });
      expectDomainError(
        response,
        403,
        'Account suspended. Contact support for more information.',
        'account_suspended',
      );
      expect(JSON.stringify(response.body)).not.toContain(until.toISOString().slice(0, 10));
    });

    it('(d) a suspension that is over: 200 and the city is updated', async () => {
      const mechanic = await createMechanic(ctx.testApp.dataSource, {
        suspendedUntil: new Date(clock.now().getTime() - 86_400_000),
      });
      const response = await call('put', '/mechanics/me', mechanic.token).send({ city: 'nantes' });
      expect(response.status).toBe(200);
      expect((await profileRow(mechanic.profileId)).city).toBe('nantes');
    });
  });

  it('N1: a new mechanic (inactive, never approved) completes the profile, but may not publish slots yet', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource, {
      isActive: false,
      isIdentityVerified: false,
      city: '',
      lat: null,
      lng: null,
    });
    const update = await call('put', '/mechanics/me', mechanic.token).send({
      city: 'albi',
      city_lat: 43.9,
      city_lng: 2.15,
    });
    expect(update.status).toBe(200);
    expect(update.body).toMatchObject({ city: 'albi', city_lat: 43.9, city_lng: 2.15 });
    const diploma = await call('post', '/mechanics/me/diplomas', mechanic.token).field(
      'name',
      'CAP mécanique',
    );
    expect(diploma.status).toBe(201);
    // The strict guard still applies to slots (identity §2.0.1).
    expectDomainError(
      await call('post', '/mechanics/availabilities', mechanic.token).send({
        date: '2026-03-05',
        start_time: '14:00:00',
        end_time: '15:00:00',
      }),
      403,
      'Account has been deactivated',
      'account_deactivated',
    );
  });

  it('MECH-10: PUT /mechanics/me updates the profile and answers the stored MechanicDetail', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const response = await call('put', '/mechanics/me', mechanic.token).send({
      city: 'montpellier',
      city_lat: 43.6108,
      city_lng: 3.8767,
      max_radius_km: 30,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: mechanic.profileId,
      user_id: mechanic.id,
      city: 'montpellier',
      city_lat: 43.6108,
      city_lng: 3.8767,
      distance_km: null,
      max_radius_km: 30,
      free_zone_km: 10,
      accepted_vehicle_types: ['car', 'motorcycle'],
      rating_avg: 0,
      total_reviews: 0,
      has_cv: false,
      has_obd_diagnostic: false,
      is_identity_verified: true,
      photo_url: null,
      next_available_date: null,
      service_location: 'mobile',
      garage_address: null,
    });
    expect(await profileRow(mechanic.profileId)).toMatchObject({
      city: 'montpellier',
      city_lat: '43.610800',
      city_lng: '3.876700',
      max_radius_km: 30,
    });
  });

  it('MECH-11: PUT /mechanics/me replaces the accepted vehicle types', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const response = await call('put', '/mechanics/me', mechanic.token).send({
      accepted_vehicle_types: ['car', 'motorcycle', 'utility'],
    });
    expect(response.status).toBe(200);
    expect(response.body.accepted_vehicle_types).toEqual(['car', 'motorcycle', 'utility']);
  });

  it('N7: explicit null on a non-nullable field is a 422 (never a 500); null clears the nullable ones', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    for (const field of [
      'city',
      'max_radius_km',
      'free_zone_km',
      'accepted_vehicle_types',
      'has_obd_diagnostic',
      'service_location',
    ]) {
      const response = await call('put', '/mechanics/me', mechanic.token).send({ [field]: null });
      expect({ field, status: response.status, loc: response.body.detail?.[0]?.loc }).toEqual({
        field,
        status: 422,
        loc: ['body', field],
      });
    }
    const cleared = await call('put', '/mechanics/me', mechanic.token).send({
      city_lat: null,
      city_lng: null,
      garage_address: null,
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ city_lat: null, city_lng: null, garage_address: null });
  });

  it('refuses a free zone wider than the radius, in the request (422 list) or once merged (422)', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource, { maxRadiusKm: 20, freeZoneKm: 10 });
    const both = await call('put', '/mechanics/me', mechanic.token).send({
      max_radius_km: 20,
      free_zone_km: 30,
    });
    expect(both.status).toBe(422);
    expect(both.body.detail).toEqual([
      expect.objectContaining({ loc: ['body', 'free_zone_km'], msg: FREE_ZONE }),
    ]);
    expectDomainError(
      await call('put', '/mechanics/me', mechanic.token).send({ free_zone_km: 25 }),
      422,
      FREE_ZONE,
      'invalid_radius',
    );
    const outOfRange = await call('put', '/mechanics/me', mechanic.token).send({
      max_radius_km: 9,
      city_lat: 91,
      service_location: 'boat',
      accepted_vehicle_types: ['plane'],
    });
    expect(outOfRange.status).toBe(422);
    expect(outOfRange.body.detail.map((issue: { loc: string[] }) => issue.loc[1]).sort()).toEqual([
      'accepted_vehicle_types',
      'city_lat',
      'max_radius_km',
      'service_location',
    ]);
    expect(await profileRow(mechanic.profileId)).toMatchObject({ max_radius_km: 20, free_zone_km: 10 });
  });

  it('adds diplomas (no document required) and deletes only its own (404 otherwise, 422 for a non-UUID)', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const other = await createMechanic(ctx.testApp.dataSource);
    const created = await call('post', '/mechanics/me/diplomas', mechanic.token)
      .field('name', 'BTS Maintenance des véhicules')
      .field('year', '2015');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'BTS Maintenance des véhicules',
      year: 2015,
      document_url: null,
      created_at: expect.stringMatching(/Z$/),
    });
    const missingName = await call('post', '/mechanics/me/diplomas', mechanic.token).field('year', '2015');
    expect(missingName.status).toBe(422);
    const badYear = await call('post', '/mechanics/me/diplomas', mechanic.token)
      .field('name', 'CAP')
      .field('year', 'soon');
    expect(badYear.status).toBe(422);

    expectDomainError(
      await call('delete', `/mechanics/me/diplomas/${created.body.id}`, other.token),
      404,
      'Diploma not found',
      'diploma_not_found',
    );
    expect((await call('delete', '/mechanics/me/diplomas/not-a-uuid', mechanic.token)).status).toBe(422);
    const deleted = await call('delete', `/mechanics/me/diplomas/${created.body.id}`, mechanic.token);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expectDomainError(
      await call('delete', `/mechanics/me/diplomas/${created.body.id}`, mechanic.token),
      404,
      'Diploma not found',
      'diploma_not_found',
    );
  });

  it('AUTH-24: the GDPR export of a mechanic has mechanic_profile, availability and diplomas', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const slot = await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: '2026-03-03' });
    await call('post', '/mechanics/me/diplomas', mechanic.token)
      .field('name', '=cmd|calc')
      .field('year', '2010');

    const response = await call('get', '/auth/me/export', mechanic.token);
    expect(response.status).toBe(200);
    expect(response.body.mechanic_profile).toEqual({
      id: mechanic.profileId,
      city: 'toulouse',
      city_lat: 43.6047,
      city_lng: 1.4442,
      max_radius_km: 50,
      free_zone_km: 10,
      accepted_vehicle_types: ['car', 'motorcycle'],
      rating_avg: 0,
      total_reviews: 0,
      is_active: true,
    });
    expect(response.body.availability).toEqual([
      { id: slot, date: '2026-03-03', start_time: '10:00:00', end_time: '11:00:00', is_booked: false },
    ]);
    expect(response.body.diplomas).toEqual([{ id: expect.any(String), name: "'=cmd|calc", year: 2010 }]);
    const buyer = await createUser(ctx.testApp.dataSource);
    const buyerExport = await call('get', '/auth/me/export', forgeToken({ sub: buyer.id }));
    expect(buyerExport.body).not.toHaveProperty('mechanic_profile');
  });

  it('AUTH-22 (mechanic part): deleting the account deactivates the profile, drops documents, diplomas and free slots', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource, {
      identityDocumentUrl: '/uploads/identity/a.jpg',
      selfieWithIdUrl: '/uploads/identity/b.jpg',
      cvUrl: '/uploads/cv/c.pdf',
    });
    await ctx.testApp.dataSource.query(
      "UPDATE mechanic_profiles SET photo_url = '/uploads/avatars/d.png' WHERE id = $1",
      [mechanic.profileId],
    );
    await call('post', '/mechanics/me/diplomas', mechanic.token).field('name', 'CAP');
    await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: '2026-03-03' });
    const booked = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: '2026-03-04',
      isBooked: true,
    });

    const response = await call('delete', '/auth/me', mechanic.token);
    expect(response.status).toBe(200);
    expect(await profileRow(mechanic.profileId)).toMatchObject({
      is_active: false,
      identity_document_url: null,
      selfie_with_id_url: null,
      cv_url: null,
      has_cv: false,
      photo_url: null,
    });
    const diplomas = await ctx.testApp.dataSource.query('SELECT id FROM diplomas WHERE mechanic_id = $1', [
      mechanic.profileId,
    ]);
    expect(diplomas).toEqual([]);
    const slots = await ctx.testApp.dataSource.query('SELECT id FROM availabilities WHERE mechanic_id = $1', [
      mechanic.profileId,
    ]);
    expect(slots).toEqual([{ id: booked }]);
    expect(
      (await call('post', '/auth/login').send({ email: mechanic.email, password: FIXTURE_PASSWORD })).status,
    ).toBe(401);
  });
});
