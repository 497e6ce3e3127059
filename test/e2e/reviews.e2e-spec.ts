import { randomUUID } from 'node:crypto';
import { type BookingStatus } from '../../src/bookings/domain/booking-status';
import { insertBooking } from '../support/booking-factories';
import { bearer, createUser, forgeToken, type UserFixture } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic, type MechanicFixture } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

const ALREADY_REVIEWED = 'Already reviewed this booking';
const NOT_PARTICIPANT = 'Not a participant of this booking';

describe('reviews (messaging-reports §2.3, §3.3)', () => {
  const ctx = useTestApp();
  let buyer: UserFixture;
  let mechanic: MechanicFixture;

  beforeEach(async () => {
    buyer = await createUser(ctx.testApp.dataSource);
    mechanic = await createMechanic(ctx.testApp.dataSource);
  });

  /** `BK(completed)` by default: the payment was released, as ck_bookings_completed_has_payment_released demands. */
  function booking(
    of: UserFixture = buyer,
    by: MechanicFixture = mechanic,
    status: BookingStatus = 'completed',
  ) {
    const released = status === 'completed' ? { payment_released_at: new Date() } : {};
    return insertBooking(ctx.testApp.dataSource, of.id, by.profileId, { status, ...released });
  }

  const review = (user: UserFixture, body: Record<string, unknown>) =>
    ctx.testApp.http
      .post('/reviews')
      .set(bearer(forgeToken({ sub: user.id })))
      .set('X-Forwarded-For', newIp())
      .send(body);

  const listReviews = (query: string) =>
    ctx.testApp.http.get(`/reviews?${query}`).set('X-Forwarded-For', newIp());

  async function aggregates(profileId: string) {
    const [row]: { rating_avg: string; total_reviews: number }[] = await ctx.testApp.dataSource.query(
      'SELECT rating_avg, total_reviews FROM mechanic_profiles WHERE id = $1',
      [profileId],
    );
    return row;
  }

  it('REV-01: a buyer’s review of a completed booking is public and about the mechanic’s user', async () => {
    const bookingId = await booking();

    const response = await review(buyer, { booking_id: bookingId, rating: 5, comment: 'Great inspection!' });

    expect({ status: response.status, body: response.body }).toEqual({
      status: 201,
      body: {
        id: expect.any(String),
        booking_id: bookingId,
        reviewer_id: buyer.id,
        reviewee_id: mechanic.id,
        rating: 5,
        comment: 'Great inspection!',
        is_public: true,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
  });

  it('REV-02: a buyer’s review sets the mechanic’s rating_avg and total_reviews (DB and GET /mechanics/{id})', async () => {
    expect(await aggregates(mechanic.profileId)).toEqual({ rating_avg: '0.00', total_reviews: 0 });

    expect((await review(buyer, { booking_id: await booking(), rating: 4 })).status).toBe(201);

    expect(await aggregates(mechanic.profileId)).toEqual({ rating_avg: '4.00', total_reviews: 1 });
    const detail = await ctx.testApp.http
      .get(`/mechanics/${mechanic.profileId}`)
      .set('X-Forwarded-For', newIp());
    expect(detail.status).toBe(200);
    expect(detail.body.profile).toMatchObject({ rating_avg: 4, total_reviews: 1 });
  });

  it('REV-03: a mechanic’s review is private, about the buyer, leaves the rating alone and is never listed', async () => {
    const bookingId = await booking();

    const response = await review(mechanic, { booking_id: bookingId, rating: 4, comment: 'Ponctuel' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      reviewer_id: mechanic.id,
      reviewee_id: buyer.id,
      is_public: false,
    });
    expect(await aggregates(mechanic.profileId)).toEqual({ rating_avg: '0.00', total_reviews: 0 });
    const listed = await listReviews(`mechanic_id=${mechanic.profileId}`);
    expect({ status: listed.status, body: listed.body }).toEqual({ status: 200, body: [] });
    const detail = await ctx.testApp.http
      .get(`/mechanics/${mechanic.profileId}`)
      .set('X-Forwarded-For', newIp());
    expect(detail.body.reviews).toEqual([]);
  });

  describe('REV-04: review guards [SEC]', () => {
    it('REV-04 (a): an unknown booking → 404 "Booking not found"', async () => {
      expectDomainError(
        await review(buyer, { booking_id: randomUUID(), rating: 5 }),
        404,
        'Booking not found',
        'booking_not_found',
      );
    });

    it('REV-04 (b): a confirmed booking → 409 "Can only review completed bookings"', async () => {
      const bookingId = await booking(buyer, mechanic, 'confirmed');

      expectDomainError(
        await review(buyer, { booking_id: bookingId, rating: 5 }),
        409,
        'Can only review completed bookings',
        'booking_state_conflict',
      );
    });

    it('REV-04 (c): a second review by the buyer on the same booking → 409 "Already reviewed this booking"', async () => {
      const bookingId = await booking();
      expect((await review(buyer, { booking_id: bookingId, rating: 5 })).status).toBe(201);

      expectDomainError(
        await review(buyer, { booking_id: bookingId, rating: 1 }),
        409,
        ALREADY_REVIEWED,
        'already_reviewed',
      );
      expect(await aggregates(mechanic.profileId)).toEqual({ rating_avg: '5.00', total_reviews: 1 });
    });

    it('REV-04 (d), (e): another buyer, another mechanic and an admin are not participants → 403', async () => {
      const otherBuyer = await createUser(ctx.testApp.dataSource);
      const otherMechanic = await createMechanic(ctx.testApp.dataSource);
      const admin = await createUser(ctx.testApp.dataSource, { role: 'admin' });
      const otherBuyersBooking = await booking(otherBuyer);
      const otherMechanicsBooking = await booking(buyer, otherMechanic);

      for (const [user, bookingId] of [
        [buyer, otherBuyersBooking],
        [mechanic, otherMechanicsBooking],
        [admin, otherBuyersBooking],
      ] as const) {
        expectDomainError(
          await review(user, { booking_id: bookingId, rating: 5 }),
          403,
          NOT_PARTICIPANT,
          'not_your_booking',
        );
      }
      expect(
        await ctx.testApp.dataSource.query(
          'SELECT count(*)::int AS n FROM reviews WHERE booking_id = ANY($1)',
          [[otherBuyersBooking, otherMechanicsBooking]],
        ),
      ).toEqual([{ n: 0 }]);
    });

    it('validates the body (422): rating outside 1..5, a comment over 500 characters, a bad booking id', async () => {
      const bookingId = await booking();
      for (const body of [
        { booking_id: bookingId, rating: 0 },
        { booking_id: bookingId, rating: 6 },
        { booking_id: bookingId, rating: 4.5 },
        { booking_id: bookingId, rating: 5, comment: 'x'.repeat(501) },
        { booking_id: 'not-a-uuid', rating: 5 },
        { rating: 5 },
      ]) {
        expect({ body, status: (await review(buyer, body)).status }).toEqual({ body, status: 422 });
      }
      expect(
        (await review(buyer, { booking_id: bookingId, rating: 5, comment: 'x'.repeat(500) })).status,
      ).toBe(201);
    });

    it('requires authentication: no token → 403 "Not authenticated"', async () => {
      const response = await ctx.testApp.http
        .post('/reviews')
        .set('X-Forwarded-For', newIp())
        .send({ booking_id: await booking(), rating: 5 });

      expectDomainError(response, 403, 'Not authenticated', 'not_authenticated');
    });
  });

  it('REV-05: the buyer and the mechanic can both review the same booking, once each; has_review follows', async () => {
    const bookingId = await booking();
    const readBooking = () =>
      ctx.testApp.http
        .get(`/bookings/${bookingId}`)
        .set(bearer(forgeToken({ sub: buyer.id })))
        .set('X-Forwarded-For', newIp());
    expect((await readBooking()).body.has_review).toBe(false);

    // The mechanic first: has_review is true for either party's review (§9.14).
    expect((await review(mechanic, { booking_id: bookingId, rating: 3 })).status).toBe(201);
    expect((await readBooking()).body.has_review).toBe(true);
    expect((await review(buyer, { booking_id: bookingId, rating: 5 })).status).toBe(201);

    const rows: { reviewer_id: string; is_public: boolean }[] = await ctx.testApp.dataSource.query(
      'SELECT reviewer_id, is_public FROM reviews WHERE booking_id = $1 ORDER BY is_public',
      [bookingId],
    );
    expect(rows).toEqual([
      { reviewer_id: mechanic.id, is_public: false },
      { reviewer_id: buyer.id, is_public: true },
    ]);
  });

  it('REV-06: GET /reviews?mechanic_id= is public, newest first, paginated, 404 for an unknown mechanic', async () => {
    expect(
      (await review(buyer, { booking_id: await booking(), rating: 4, comment: 'Très bien' })).status,
    ).toBe(201);

    const first = await listReviews(`mechanic_id=${mechanic.profileId}`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual([
      expect.objectContaining({ rating: 4, comment: 'Très bien', is_public: true, reviewer_id: buyer.id }),
    ]);

    for (const rating of [5, 3]) {
      const other = await createUser(ctx.testApp.dataSource);
      expect((await review(other, { booking_id: await booking(other), rating })).status).toBe(201);
    }
    const firstPage = await listReviews(`mechanic_id=${mechanic.profileId}&limit=2&offset=0`);
    const secondPage = await listReviews(`mechanic_id=${mechanic.profileId}&limit=10&offset=2`);
    expect(firstPage.body.map((r: { rating: number }) => r.rating)).toEqual([3, 5]);
    expect(secondPage.body.map((r: { rating: number }) => r.rating)).toEqual([4]);

    expectDomainError(
      await listReviews(`mechanic_id=${randomUUID()}`),
      404,
      'Mechanic not found',
      'mechanic_not_found',
    );
    for (const query of ['', 'mechanic_id=nope', `mechanic_id=${mechanic.profileId}&limit=101`]) {
      expect({ query, status: (await listReviews(query)).status }).toEqual({ query, status: 422 });
    }
  });

  it('REV-07: three reviews rated 3, 4 and 5 average 4.00, and the profile shows its latest five, newest first', async () => {
    for (const rating of [3, 4, 5]) {
      expect(
        (await review(buyer, { booking_id: await booking(), rating, comment: `r${rating}` })).status,
      ).toBe(201);
    }

    expect(await aggregates(mechanic.profileId)).toEqual({ rating_avg: '4.00', total_reviews: 3 });
    for (const rating of [2, 1, 5]) {
      expect((await review(buyer, { booking_id: await booking(), rating })).status).toBe(201);
    }
    expect(await aggregates(mechanic.profileId)).toEqual({ rating_avg: '3.33', total_reviews: 6 });
    const detail = await ctx.testApp.http
      .get(`/mechanics/${mechanic.profileId}`)
      .set('X-Forwarded-For', newIp());
    expect(detail.body.reviews).toHaveLength(5);
    expect(detail.body.reviews.map((r: { rating: number }) => r.rating)).toEqual([5, 1, 2, 5, 4]);
    expect(detail.body.reviews[3]).toEqual({
      id: expect.any(String),
      rating: 5,
      comment: 'r5',
      created_at: expect.any(String),
      reviewer_name: null,
    });
  });

  it('[RACE] two concurrent reviews by one buyer on one booking → one 201 and one 409, never a 500 (×20)', async () => {
    for (let round = 0; round < 20; round++) {
      const bookingId = await booking();

      const responses = await Promise.all([
        review(buyer, { booking_id: bookingId, rating: 5 }),
        review(buyer, { booking_id: bookingId, rating: 2 }),
      ]);

      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(responses.find((r) => r.status === 409)?.body.detail).toBe(ALREADY_REVIEWED);
    }
    const [{ n }]: { n: number }[] = await ctx.testApp.dataSource.query(
      'SELECT count(*)::int AS n FROM reviews WHERE reviewer_id = $1',
      [buyer.id],
    );
    expect(n).toBe(20);
    const [{ average }]: { average: string }[] = await ctx.testApp.dataSource.query(
      'SELECT round(avg(rating), 2)::text AS average FROM reviews WHERE reviewee_id = $1',
      [mechanic.id],
    );
    expect(await aggregates(mechanic.profileId)).toEqual({ rating_avg: average, total_reviews: 20 });
  });

  it('[RACE] concurrent public reviews by different buyers of one mechanic keep the aggregates exact (×20)', async () => {
    for (let round = 0; round < 20; round++) {
      const target = await createMechanic(ctx.testApp.dataSource);
      const ratings = [5, 4, 4, 3, 1, 2];
      const reviews = await Promise.all(
        ratings.map(async (rating) => {
          const author = await createUser(ctx.testApp.dataSource);
          return { author, rating, bookingId: await booking(author, target) };
        }),
      );

      const responses = await Promise.all(
        reviews.map(({ author, rating, bookingId }) => review(author, { booking_id: bookingId, rating })),
      );

      expect(responses.map((r) => r.status)).toEqual(ratings.map(() => 201));
      const average = (ratings.reduce((sum, r) => sum + r, 0) / ratings.length).toFixed(2);
      expect(await aggregates(target.profileId)).toEqual({
        rating_avg: average,
        total_reviews: ratings.length,
      });
    }
  });

  describe('GDPR', () => {
    it('AUTH-23 (reviews part): the export lists the reviews the user wrote, comments made spreadsheet-safe', async () => {
      await review(buyer, { booking_id: await booking(), rating: 2, comment: '=HYPERLINK("x")' });
      await review(mechanic, { booking_id: await booking(), rating: 4, comment: 'About the buyer' });

      const response = await ctx.testApp.http
        .get('/auth/me/export')
        .set(bearer(forgeToken({ sub: buyer.id })))
        .set('X-Forwarded-For', newIp());

      expect(response.status).toBe(200);
      expect(response.body.reviews).toEqual([
        {
          id: expect.any(String),
          booking_id: expect.any(String),
          rating: 2,
          comment: `'=HYPERLINK("x")`,
          is_public: true,
          created_at: expect.any(String),
        },
      ]);
    });

    it('AUTH-21 (reviews part): deleting the account keeps its reviews’ ratings, clears their comments, and moves no aggregate', async () => {
      const reviewed = await booking();
      await review(buyer, { booking_id: reviewed, rating: 2, comment: 'Written by B' });
      await review(mechanic, { booking_id: reviewed, rating: 5, comment: 'About B' });
      const before = await aggregates(mechanic.profileId);

      const response = await ctx.testApp.http
        .delete('/auth/me')
        .set(bearer(forgeToken({ sub: buyer.id })))
        .set('X-Forwarded-For', newIp());

      expect(response.status).toBe(200);
      const rows: { reviewer_id: string; rating: number; comment: string | null }[] =
        await ctx.testApp.dataSource.query(
          'SELECT reviewer_id, rating, comment FROM reviews WHERE booking_id = $1 ORDER BY is_public',
          [reviewed],
        );
      expect(rows).toEqual([
        { reviewer_id: mechanic.id, rating: 5, comment: 'About B' },
        { reviewer_id: buyer.id, rating: 2, comment: null },
      ]);
      expect(await aggregates(mechanic.profileId)).toEqual(before);
      const listed = await listReviews(`mechanic_id=${mechanic.profileId}`);
      expect(listed.body).toEqual([expect.objectContaining({ rating: 2, comment: null })]);
    });
  });
});
