import { insertBooking } from '../support/booking-factories';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { newIp } from '../support/http';
import { createMechanic, type MechanicFixture } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const NOW = '2026-03-15T10:00:00.000Z';
const LAST_MONTH = '2026-02-20T10:00:00.000Z';
const THIS_MONTH = '2026-03-01T00:00:00.000Z';

describe('GET /mechanics/me/stats (identity §2.2-17)', () => {
  const ctx = useTestApp({ clock: new FixedClock(new Date(NOW)) });

  const stats = (mechanic: MechanicFixture) =>
    ctx.testApp.http.get('/mechanics/me/stats').set(bearer(mechanic.token)).set('X-Forwarded-For', newIp());

  it('counts completed missions and earnings overall and since the 1st of the month (UTC), and the acceptance rate', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    await ctx.testApp.dataSource.query(
      'UPDATE mechanic_profiles SET rating_avg = 4.5, total_reviews = 2 WHERE id = $1',
      [mechanic.profileId],
    );
    const buyer = await createUser(ctx.testApp.dataSource);
    const completed = { status: 'completed' as const, payment_released_at: NOW };
    await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, {
      ...completed,
      created_at: LAST_MONTH,
    });
    await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, {
      ...completed,
      created_at: THIS_MONTH,
      total_price: '55.10',
      base_price: '55.10',
      commission_amount: '11.02',
      mechanic_payout: '44.08',
    });
    await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, { status: 'confirmed' });
    await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, {
      status: 'pending_acceptance',
    });
    await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, {
      status: 'cancelled',
      cancelled_by: 'mechanic',
      cancelled_at: NOW,
    });
    await insertBooking(ctx.testApp.dataSource, buyer.id, mechanic.profileId, {
      status: 'cancelled',
      cancelled_by: 'buyer',
      cancelled_at: NOW,
    });
    const other = await createMechanic(ctx.testApp.dataSource);
    await insertBooking(ctx.testApp.dataSource, buyer.id, other.profileId, { ...completed });

    const response = await stats(mechanic);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      total_missions: 2,
      total_earnings: 76.08,
      this_month_missions: 1,
      this_month_earnings: 44.08,
      average_rating: 4.5,
      total_reviews: 2,
      // Taken on: 2 completed + 1 confirmed; refused: 1 → 3 / 4.
      acceptance_rate: 75,
    });
  });

  it('answers zeros and a 100.0 acceptance rate for a new mechanic, inactive and unverified (onboarding guard, N1)', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource, {
      isActive: false,
      isIdentityVerified: false,
    });

    const response = await stats(mechanic);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      total_missions: 0,
      total_earnings: 0,
      this_month_missions: 0,
      this_month_earnings: 0,
      average_rating: 0,
      total_reviews: 0,
      acceptance_rate: 100,
    });
  });

  it('refuses a buyer with the mechanic guard’s message', async () => {
    const buyer = await createUser(ctx.testApp.dataSource);
    const response = await ctx.testApp.http
      .get('/mechanics/me/stats')
      .set(bearer(forgeToken({ sub: buyer.id })))
      .set('X-Forwarded-For', newIp());

    expect(response.status).toBe(403);
    expect(response.body.detail).toBe('Only mechanics can access this resource');
  });
});
