import { bufferActions, splitWindow, toClockText, toDaySeconds, toTimeText } from './slot-plan';

const t = toDaySeconds;
const range = (start: string, end: string) => ({ start: t(start), end: t(end) });
const HALF_HOUR = 1800;
const QUARTER = 900;

describe('slot plan of a booking (bookings-payments §3.1 steps 5 and 9)', () => {
  it('reads and writes times of day', () => {
    expect(t('09:30')).toBe(34_200);
    expect(t('09:30:15')).toBe(34_215);
    expect(toTimeText(t('23:59:59'))).toBe('23:59:59');
    expect(toClockText(t('07:05:00'))).toBe('07:05');
  });

  it('BOOK-11: choosing the whole window splits nothing', () => {
    expect(splitWindow(range('10:00', '10:30'), t('10:00'), HALF_HOUR)).toEqual({
      booked: range('10:00', '10:30'),
      left: null,
      right: null,
    });
  });

  it('BOOK-12/13/14: a split at the end, at the start and in the middle', () => {
    expect(splitWindow(range('10:00', '12:00'), t('11:30'), HALF_HOUR)).toEqual({
      booked: range('11:30', '12:00'),
      left: range('10:00', '11:30'),
      right: null,
    });
    expect(splitWindow(range('14:00', '16:00'), t('14:00'), HALF_HOUR)).toEqual({
      booked: range('14:00', '14:30'),
      left: null,
      right: range('14:30', '16:00'),
    });
    expect(splitWindow(range('09:00', '12:00'), t('10:30'), HALF_HOUR)).toEqual({
      booked: range('10:30', '11:00'),
      left: range('09:00', '10:30'),
      right: range('11:00', '12:00'),
    });
  });

  it('a chosen time outside the window, or overflowing it, has no split', () => {
    expect(splitWindow(range('10:00', '11:00'), t('09:30'), HALF_HOUR)).toBeNull();
    expect(splitWindow(range('10:00', '11:00'), t('10:45'), HALF_HOUR)).toBeNull();
  });

  it('BOOK-12/14: the buffer trims the free pieces to 15 minutes from the booked slot', () => {
    const booked = range('10:30', '11:00');
    const pieces = [
      { id: 'left', ...range('09:00', '10:30') },
      { id: 'right', ...range('11:00', '12:00') },
    ];
    expect(bufferActions(booked, pieces, QUARTER, HALF_HOUR)).toEqual([
      { id: 'left', kind: 'trim', range: range('09:00', '10:15') },
      { id: 'right', kind: 'trim', range: range('11:15', '12:00') },
    ]);
  });

  it('blocks a neighbour inside the zone, or left shorter than a slot; ignores the ones outside', () => {
    const booked = range('10:00', '10:30');
    const neighbours = [
      { id: 'inside', ...range('09:45', '10:00') },
      { id: 'short', ...range('09:30', '10:00') },
      { id: 'far', ...range('08:00', '09:45') },
      { id: 'after', ...range('10:30', '10:50') },
    ];
    expect(bufferActions(booked, neighbours, QUARTER, HALF_HOUR)).toEqual([
      { id: 'inside', kind: 'block' },
      { id: 'short', kind: 'block' },
      { id: 'after', kind: 'block' },
    ]);
  });

  it('a neighbour spanning the whole zone keeps its left part, as the original (N13.33)', () => {
    const actions = bufferActions(
      range('10:00', '10:30'),
      [{ id: 'wide', ...range('08:00', '12:00') }],
      QUARTER,
      HALF_HOUR,
    );
    expect(actions).toEqual([{ id: 'wide', kind: 'trim', range: range('08:00', '09:45') }]);
  });

  it('N13.33: the zone of a slot at midnight does not wrap to the end of the day', () => {
    const actions = bufferActions(
      range('00:00', '00:30'),
      [{ id: 'late', ...range('23:00', '23:59') }],
      QUARTER,
      HALF_HOUR,
    );
    expect(actions).toEqual([]);
  });
});
