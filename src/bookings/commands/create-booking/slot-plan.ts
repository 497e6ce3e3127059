/** A time of day in seconds since midnight; slots are wall-clock times (D3), so no zone is involved. */
export type DaySeconds = number;

export interface TimeRange {
  start: DaySeconds;
  end: DaySeconds;
}

export interface Neighbour extends TimeRange {
  id: string;
}

export function toDaySeconds(time: string): DaySeconds {
  const [hours, minutes, seconds = '0'] = time.split(':');
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** `HH:MM:SS`, as PostgreSQL writes a `time`. */
export function toTimeText(value: DaySeconds): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(value / 3600))}:${pad(Math.floor(value / 60) % 60)}:${pad(value % 60)}`;
}

/** `HH:MM`, as the API shows a slot time. */
export const toClockText = (value: DaySeconds) => toTimeText(value).slice(0, 5);

/** §3.1-5: the booked piece of a window and the free pieces around it (null when empty). */
export interface WindowSplit {
  booked: TimeRange;
  left: TimeRange | null;
  right: TimeRange | null;
}

/**
 * §3.1-5: the sub-slot `[chosen, chosen + duration)` of `window`, or null when it does not fit in
 * it. Choosing the whole window splits nothing.
 */
export function splitWindow(
  window: TimeRange,
  chosenStart: DaySeconds,
  durationSeconds: number,
): WindowSplit | null {
  const booked = { start: chosenStart, end: chosenStart + durationSeconds };
  if (booked.start < window.start || booked.end > window.end) return null;
  return {
    booked,
    left: booked.start > window.start ? { start: window.start, end: booked.start } : null,
    right: booked.end < window.end ? { start: booked.end, end: window.end } : null,
  };
}

export type BufferAction = { id: string; kind: 'block' } | { id: string; kind: 'trim'; range: TimeRange };

/** The part of the day the buffer covers around `booked`; the neighbours to consider overlap it. */
export function bufferZone(booked: TimeRange, bufferSeconds: number): TimeRange {
  return { start: booked.start - bufferSeconds, end: booked.end + bufferSeconds };
}

/**
 * §3.1-9 buffer rules, for the free neighbours on the same day that overlap the buffer zone: a slot
 * inside the zone is blocked; one that sticks out keeps its part before the zone (or, failing that,
 * after it), and is blocked instead when that part is shorter than a bookable slot. Unlike the
 * original, the zone never wraps around midnight (N13.33): it is measured on the day's seconds.
 */
export function bufferActions(
  booked: TimeRange,
  neighbours: readonly Neighbour[],
  bufferSeconds: number,
  minimumSeconds: number,
): BufferAction[] {
  const zone = bufferZone(booked, bufferSeconds);
  return neighbours
    .filter((slot) => slot.start < zone.end && slot.end > zone.start)
    .map((slot): BufferAction => {
      if (slot.start >= zone.start && slot.end <= zone.end) return { id: slot.id, kind: 'block' };
      const kept =
        slot.start < zone.start ? { start: slot.start, end: zone.start } : { start: zone.end, end: slot.end };
      return kept.end - kept.start < minimumSeconds
        ? { id: slot.id, kind: 'block' }
        : { id: slot.id, kind: 'trim', range: kept };
    });
}
