/** A wall-clock reading: `YYYY-MM-DD` and `HH:MM:SS`, as slots are written. */
export interface WallClockReading {
  date: string;
  time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * `instant` as read on a clock in `timeZone` (decision D3, N23): mechanics write slot dates and
 * times in French local time, so "today" and "already over" must be judged in that zone, not in UTC.
 */
export function wallClock(instant: Date, timeZone: string): WallClockReading {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
  };
}

/**
 * The instant a wall clock in `timeZone` shows `date` `time` (`HH:MM` or `HH:MM:SS`): the inverse of
 * `wallClock`, for "slot start − now" (D3). Within a daylight-saving gap the later offset wins.
 */
export function instantOfWallClock(date: string, time: string, timeZone: string): Date {
  const asUtc = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`);
  const offsetAt = (instant: number) => {
    const read = wallClock(new Date(instant), timeZone);
    return Date.parse(`${read.date}T${read.time}Z`) - instant;
  };
  // Two passes: the offset at the first guess may differ from the one at the answer across a change.
  const guess = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(guess));
}
