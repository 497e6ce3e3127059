import { instantOfWallClock, wallClock } from './wall-clock';

describe('wallClock (N23, D3)', () => {
  it('N23: reads an instant in the zone of the slots, across midnight and daylight saving time', () => {
    // Winter, UTC+1: 23:30 UTC is already the next day in Paris.
    expect(wallClock(new Date('2026-03-01T23:30:00Z'), 'Europe/Paris')).toEqual({
      date: '2026-03-02',
      time: '00:30:00',
    });
    // Summer, UTC+2.
    expect(wallClock(new Date('2026-07-01T22:15:09Z'), 'Europe/Paris')).toEqual({
      date: '2026-07-02',
      time: '00:15:09',
    });
    expect(wallClock(new Date('2026-07-01T22:15:09Z'), 'UTC')).toEqual({
      date: '2026-07-01',
      time: '22:15:09',
    });
  });

  it('D3: instantOfWallClock is its inverse, in winter, in summer and across the change of offset', () => {
    expect(instantOfWallClock('2026-03-03', '10:00', 'Europe/Paris').toISOString()).toBe(
      '2026-03-03T09:00:00.000Z',
    );
    expect(instantOfWallClock('2026-07-02', '00:15:09', 'Europe/Paris').toISOString()).toBe(
      '2026-07-01T22:15:09.000Z',
    );
    // 2026-03-29: Paris moves from UTC+1 to UTC+2 at 02:00 local time.
    expect(instantOfWallClock('2026-03-29', '01:30', 'Europe/Paris').toISOString()).toBe(
      '2026-03-29T00:30:00.000Z',
    );
    expect(instantOfWallClock('2026-03-29', '03:30', 'Europe/Paris').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(instantOfWallClock('2026-03-03', '10:00', 'UTC').toISOString()).toBe('2026-03-03T10:00:00.000Z');
  });
});
