import { wallClock } from './wall-clock';

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
});
