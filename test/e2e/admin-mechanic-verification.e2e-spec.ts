import { randomUUID } from 'node:crypto';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

describe('Admin: verification of mechanics (identity §2.3-32, 33, §1.6)', () => {
  const clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
  const ctx = useTestApp({ clock });
  let admin: { id: string; token: string };

  beforeAll(async () => {
    const user = await createUser(ctx.testApp.dataSource, { role: 'admin' });
    admin = { id: user.id, token: forgeToken({ sub: user.id }) };
  });

  beforeEach(async () => {
    await ctx.testApp.dataSource.query('DELETE FROM mechanic_profiles');
  });

  const pending = (token: string, query: Record<string, number> = {}) =>
    ctx.testApp.http
      .get('/admin/mechanics/pending-verification')
      .set('X-Forwarded-For', newIp())
      .set(bearer(token))
      .query(query);
  const verify = (token: string, id: string, body: unknown) =>
    ctx.testApp.http
      .patch(`/admin/mechanics/${id}/verify`)
      .set('X-Forwarded-For', newIp())
      .set(bearer(token))
      .send(body as object);
  const auditRows = () =>
    ctx.testApp.dataSource.query(
      'SELECT action, admin_user_id, target_user_id, detail FROM audit_logs ORDER BY created_at',
    );

  it('ADM-01 (verification endpoints), AUTH-25(c): buyers and mechanics get 403 "Admin access required", no token 401/403', async () => {
    const buyer = forgeToken({ sub: (await createUser(ctx.testApp.dataSource)).id });
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    for (const token of [buyer, mechanic.token]) {
      expectDomainError(await pending(token), 403, 'Admin access required', 'access_denied');
      expectDomainError(
        await verify(token, mechanic.profileId, { approved: true }),
        403,
        'Admin access required',
        'access_denied',
      );
    }
    const anonymous = await ctx.testApp.http
      .get('/admin/mechanics/pending-verification')
      .set('X-Forwarded-For', newIp());
    expect([401, 403]).toContain(anonymous.status);
  });

  it('ADM-09: lists mechanics whose papers wait for a verdict, oldest first, paged', async () => {
    await createMechanic(ctx.testApp.dataSource, { identityDocumentUrl: '/uploads/identity/verified.jpg' });
    expect((await pending(admin.token)).body).toEqual({ total: 0, mechanics: [] });

    const mp2 = await createMechanic(
      ctx.testApp.dataSource,
      {
        city: 'paris',
        isIdentityVerified: false,
        isActive: false,
        identityDocumentUrl: '/uploads/identity/id.jpg',
        selfieWithIdUrl: '/uploads/identity/selfie.jpg',
      },
      { firstName: 'Jean', lastName: 'Dupont' },
    );
    await createMechanic(ctx.testApp.dataSource, { isIdentityVerified: false, isActive: false });
    const later = await createMechanic(ctx.testApp.dataSource, {
      isIdentityVerified: false,
      identityDocumentUrl: '/uploads/identity/later.jpg',
    });
    await ctx.testApp.dataSource.query(
      "UPDATE mechanic_profiles SET created_at = created_at + interval '1 minute' WHERE id = $1",
      [later.profileId],
    );

    const all = await pending(admin.token);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(2);
    expect(all.body.mechanics[0]).toEqual({
      id: mp2.profileId,
      user_id: mp2.id,
      email: mp2.email,
      first_name: 'Jean',
      last_name: 'Dupont',
      city: 'paris',
      identity_document_url: '/uploads/identity/id.jpg',
      selfie_with_id_url: '/uploads/identity/selfie.jpg',
      cv_url: null,
      created_at: expect.stringMatching(/\+00:00$/),
    });
    expect(all.body.mechanics[1].id).toBe(later.profileId);

    const firstPage = await pending(admin.token, { limit: 1, offset: 0 });
    expect(firstPage.body).toEqual({ total: 2, mechanics: [expect.objectContaining({ id: mp2.profileId })] });
    expect((await pending(admin.token, { limit: 1, offset: 5 })).body).toEqual({ total: 2, mechanics: [] });
    expect((await pending(admin.token, { limit: 201 })).status).toBe(422);
  });

  it('ADM-10: approval verifies and activates, rejection withdraws; each writes its audit row; unknown id 404', async () => {
    const mp2 = await createMechanic(ctx.testApp.dataSource, {
      isIdentityVerified: false,
      isActive: false,
      identityDocumentUrl: '/uploads/identity/id.jpg',
    });
    const approved = await verify(admin.token, mp2.profileId, { approved: true });
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ mechanic_id: mp2.profileId, is_identity_verified: true });
    const [row] = await ctx.testApp.dataSource.query(
      'SELECT is_identity_verified, is_active FROM mechanic_profiles WHERE id = $1',
      [mp2.profileId],
    );
    expect(row).toEqual({ is_identity_verified: true, is_active: true });

    const rejected = await verify(admin.token, mp2.profileId, { approved: false });
    expect(rejected.body).toEqual({ mechanic_id: mp2.profileId, is_identity_verified: false });
    expect(await auditRows()).toEqual(
      expect.arrayContaining([
        {
          action: 'verify_mechanic',
          admin_user_id: admin.id,
          target_user_id: mp2.id,
          detail: `Mechanic ${mp2.profileId} approved`,
        },
        {
          action: 'reject_mechanic',
          admin_user_id: admin.id,
          target_user_id: mp2.id,
          detail: `Mechanic ${mp2.profileId} rejected`,
        },
      ]),
    );
    expectDomainError(
      await verify(admin.token, randomUUID(), { approved: true }),
      404,
      'Mechanic profile not found',
      'mechanic_profile_not_found',
    );
    expect((await verify(admin.token, mp2.profileId, { approved: 'yes' })).status).toBe(422);
    expect((await verify(admin.token, 'not-a-uuid', { approved: true })).status).toBe(422);
  });

  it('N15: approving a suspended mechanic does not lift the suspension', async () => {
    const suspended = await createMechanic(ctx.testApp.dataSource, {
      isIdentityVerified: false,
      isActive: false,
      suspendedUntil: new Date(clock.now().getTime() + 10 * 86_400_000),
    });
    expect((await verify(admin.token, suspended.profileId, { approved: true })).status).toBe(200);
    const [row] = await ctx.testApp.dataSource.query(
      'SELECT is_identity_verified, is_active FROM mechanic_profiles WHERE id = $1',
      [suspended.profileId],
    );
    expect(row).toEqual({ is_identity_verified: true, is_active: false });
  });
});
