import { randomUUID } from 'node:crypto';
import { FixedClock } from '../support/clock';
import { bearer, createUser, forgeToken } from '../support/factories';
import { expectDomainError, newIp } from '../support/http';
import { createMechanic, createSlot } from '../support/mechanic-factories';
import { useTestApp } from '../support/test-app-context';

/** 10:00 in Paris (UTC+1 in March): today is 2026-03-02 on the slots' clock. */
const NOW = '2026-03-02T09:00:00Z';
const TODAY = '2026-03-02';
const OVERLAP = 'This slot overlaps with an existing availability';

describe('Mechanics: availabilities (identity §2.2-24…26)', () => {
  const clock = new FixedClock(new Date(NOW));
  const ctx = useTestApp({ clock });

  beforeEach(() => clock.set(NOW));

  const create = (token: string, body: Record<string, unknown>) =>
    ctx.testApp.http
      .post('/mechanics/availabilities')
      .set('X-Forwarded-For', newIp())
      .set(bearer(token))
      .send(body);
  const remove = (token: string, id: string) =>
    ctx.testApp.http
      .delete(`/mechanics/availabilities/${id}`)
      .set('X-Forwarded-For', newIp())
      .set(bearer(token));
  const list = (token: string, query: Record<string, string>) =>
    ctx.testApp.http
      .get('/mechanics/availabilities')
      .set('X-Forwarded-For', newIp())
      .set(bearer(token))
      .query(query);
  const slotsOf = (profileId: string) =>
    ctx.testApp.dataSource.query(
      'SELECT date::text, start_time, end_time FROM availabilities WHERE mechanic_id = $1',
      [profileId],
    );

  it('MECH-12: creates a slot (201) and stores it', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const response = await create(mechanic.token, {
      date: '2026-03-05',
      start_time: '14:00:00',
      end_time: '15:00',
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      mechanic_id: mechanic.profileId,
      date: '2026-03-05',
      start_time: '14:00:00',
      end_time: '15:00:00',
      is_booked: false,
      created_at: expect.stringMatching(/Z$/),
    });
    expect(await slotsOf(mechanic.profileId)).toEqual([
      { date: '2026-03-05', start_time: '14:00:00', end_time: '15:00:00' },
    ]);
  });

  it('MECH-13: an unverified mechanic cannot publish slots (403, no row)', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource, { isIdentityVerified: false });
    expectDomainError(
      await create(mechanic.token, { date: '2026-03-05', start_time: '14:00:00', end_time: '15:00:00' }),
      403,
      'Identity must be verified before creating availability slots',
      'identity_not_verified',
    );
    expect(await slotsOf(mechanic.profileId)).toEqual([]);
  });

  it('MECH-14: a slot overlapping an existing one (booked or not) is a 409; back-to-back slots are fine', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: '2026-03-03',
      start: '10:00',
      end: '11:00',
    });
    await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: '2026-03-03',
      start: '14:00',
      end: '15:00',
      isBooked: true,
    });
    for (const [start, end] of [
      ['10:30:00', '11:30:00'],
      ['09:00:00', '12:00:00'],
      ['10:00:00', '10:15:00'],
      ['14:30:00', '16:00:00'],
    ]) {
      expectDomainError(
        await create(mechanic.token, { date: '2026-03-03', start_time: start, end_time: end }),
        409,
        OVERLAP,
        'slot_overlap',
      );
    }
    expect(
      (await create(mechanic.token, { date: '2026-03-03', start_time: '11:00', end_time: '12:00' })).status,
    ).toBe(201);
    expect(
      (await create(mechanic.token, { date: '2026-03-04', start_time: '10:30', end_time: '11:30' })).status,
    ).toBe(201);
  });

  it('MECH-15: end before start, malformed values and past dates are 422s naming the field', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const reversed = await create(mechanic.token, {
      date: '2026-03-05',
      start_time: '15:00:00',
      end_time: '14:00:00',
    });
    expect(reversed.status).toBe(422);
    expect(reversed.body.detail).toEqual([
      expect.objectContaining({ loc: ['body', 'end_time'], msg: 'end_time must be after start_time' }),
    ]);
    const malformed = await create(mechanic.token, {
      date: '2026-02-30',
      start_time: '25:00',
      end_time: null,
    });
    expect(malformed.status).toBe(422);
    expect(malformed.body.detail.map((issue: { loc: string[] }) => issue.loc[1]).sort()).toEqual([
      'date',
      'end_time',
      'start_time',
    ]);
    const past = await create(mechanic.token, {
      date: '2026-03-01',
      start_time: '14:00:00',
      end_time: '15:00:00',
    });
    expect(past.status).toBe(422);
    expect(past.body.detail).toEqual([
      expect.objectContaining({ loc: ['body', 'date'], msg: 'Date must be today or in the future' }),
    ]);
    expect(await slotsOf(mechanic.profileId)).toEqual([]);
  });

  it('N23: "today" is the date in APP_TIMEZONE, not in UTC', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    // 23:30 UTC on March 2nd is 00:30 on March 3rd in Paris: March 2nd is now in the past.
    clock.set('2026-03-02T23:30:00Z');
    const yesterday = await create(mechanic.token, {
      date: '2026-03-02',
      start_time: '20:00',
      end_time: '21:00',
    });
    expect(yesterday.status).toBe(422);
    const today = await create(mechanic.token, {
      date: '2026-03-03',
      start_time: '08:00',
      end_time: '09:00',
    });
    expect(today.status).toBe(201);

    // A slot of today that ended at 00:15 Paris time is no longer listed, though it is only 23:30 in UTC.
    await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: '2026-03-03',
      start: '00:00',
      end: '00:15',
    });
    const listed = await list(mechanic.token, {
      mechanic_id: mechanic.profileId,
      date_from: '2026-03-03',
      date_to: '2026-03-03',
    });
    expect(listed.body.map((slot: { start_time: string }) => slot.start_time)).toEqual(['08:00:00']);
  });

  it('caps a mechanic at 100 unbooked slots (booked ones do not count)', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    await ctx.testApp.dataSource.query(
      `INSERT INTO availabilities (mechanic_id, date, start_time, end_time)
       SELECT $1, DATE '2026-04-01' + n, '10:00', '11:00' FROM generate_series(0, 99) AS n`,
      [mechanic.profileId],
    );
    expectDomainError(
      await create(mechanic.token, { date: '2026-03-05', start_time: '10:00', end_time: '11:00' }),
      400,
      'Maximum 100 unbooked availability slots allowed',
      'slot_limit_reached',
    );
    await ctx.testApp.dataSource.query(
      "UPDATE availabilities SET is_booked = true WHERE mechanic_id = $1 AND date = '2026-04-01'",
      [mechanic.profileId],
    );
    expect(
      (await create(mechanic.token, { date: '2026-03-05', start_time: '10:00', end_time: '11:00' })).status,
    ).toBe(201);
  });

  it('N10 [RACE]: 20 concurrent overlapping creations give exactly one 201 and nineteen 409 (20 rounds)', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    for (let round = 0; round < 20; round++) {
      const date = `2026-05-${String(round + 1).padStart(2, '0')}`;
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          // Identical slots and shifted ones: the unique key and the exclusion constraint both race.
          create(mechanic.token, {
            date,
            start_time: `10:${String(i % 2 ? i : 0).padStart(2, '0')}`,
            end_time: '11:00',
          }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect({ round, statuses }).toEqual({ round, statuses: [201, ...Array<number>(19).fill(409)] });
      expect(responses.filter((r) => r.status === 409).every((r) => r.body.detail === OVERLAP)).toBe(true);
    }
    const [{ n }] = await ctx.testApp.dataSource.query(
      'SELECT count(*)::int AS n FROM availabilities WHERE mechanic_id = $1',
      [mechanic.profileId],
    );
    expect(n).toBe(20);
  });

  it('N10: the database itself refuses an overlapping slot, whatever code writes it', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: '2026-03-03',
      start: '10:00',
      end: '11:00',
    });
    await expect(
      createSlot(ctx.testApp.dataSource, mechanic.profileId, {
        date: '2026-03-03',
        start: '10:59',
        end: '12:00',
      }),
    ).rejects.toMatchObject({ driverError: { code: '23P01', constraint: 'ex_availabilities_no_overlap' } });
  });

  it('MECH-16: deletes a free slot (204, row gone)', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const slot = await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: '2026-03-03' });
    const response = await remove(mechanic.token, slot);
    expect(response.status).toBe(204);
    expect(await slotsOf(mechanic.profileId)).toEqual([]);
  });

  it('MECH-17: deleting a booked slot is a 409 and keeps it', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const slot = await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: '2026-03-03',
      isBooked: true,
    });
    expectDomainError(await remove(mechanic.token, slot), 409, 'Cannot delete a booked slot', 'slot_booked');
    expect(await slotsOf(mechanic.profileId)).toHaveLength(1);
  });

  it("MECH-18: an unknown slot, or another mechanic's, is a 404", async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const other = await createMechanic(ctx.testApp.dataSource);
    const slot = await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: '2026-03-03' });
    expectDomainError(
      await remove(mechanic.token, randomUUID()),
      404,
      'Availability not found',
      'availability_not_found',
    );
    expectDomainError(
      await remove(other.token, slot),
      404,
      'Availability not found',
      'availability_not_found',
    );
    expect(await slotsOf(mechanic.profileId)).toHaveLength(1);
  });

  it('MECH-19: lists free future slots in a range for any signed-in user; 400 past 90 days', async () => {
    const mechanic = await createMechanic(ctx.testApp.dataSource);
    const buyer = forgeToken({ sub: (await createUser(ctx.testApp.dataSource)).id });
    const slot = await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: '2026-03-03' });
    await createSlot(ctx.testApp.dataSource, mechanic.profileId, { date: '2026-03-04', isBooked: true });
    await createSlot(ctx.testApp.dataSource, mechanic.profileId, {
      date: TODAY,
      start: '08:00',
      end: '09:30',
    });

    const week = await list(buyer, {
      mechanic_id: mechanic.profileId,
      date_from: '2026-03-02',
      date_to: '2026-03-10',
    });
    expect(week.status).toBe(200);
    expect(week.body).toEqual([expect.objectContaining({ id: slot, date: '2026-03-03', is_booked: false })]);
    const later = await list(buyer, {
      mechanic_id: mechanic.profileId,
      date_from: '2026-06-10',
      date_to: '2026-06-17',
    });
    expect(later.body).toEqual([]);
    const reversed = await list(buyer, {
      mechanic_id: mechanic.profileId,
      date_from: '2026-03-10',
      date_to: '2026-03-01',
    });
    expect(reversed.body).toEqual([]);
    expectDomainError(
      await list(buyer, { mechanic_id: mechanic.profileId, date_from: '2026-03-01', date_to: '2026-06-01' }),
      400,
      'Date range cannot exceed 90 days',
      'date_range_too_long',
    );
    expect(
      (await list(buyer, { mechanic_id: 'nope', date_from: '2026-03-01', date_to: '2026-03-02' })).status,
    ).toBe(422);
    const anonymous = await ctx.testApp.http
      .get('/mechanics/availabilities')
      .set('X-Forwarded-For', newIp())
      .query({ mechanic_id: mechanic.profileId, date_from: '2026-03-02', date_to: '2026-03-10' });
    expect(anonymous.status).toBe(403);
  });
});
