import { type EntityManager } from 'typeorm';
import {
  bufferActions,
  bufferZone,
  type Neighbour,
  type TimeRange,
  toDaySeconds,
  toTimeText,
  type WindowSplit,
} from './slot-plan';

/** The availability a booking is made from (§1.2): wall-clock date and times in APP_TIMEZONE (D3). */
export interface BookingWindow {
  id: string;
  mechanicId: string;
  /** `YYYY-MM-DD`. */
  date: string;
  range: TimeRange;
  isBooked: boolean;
}

export interface BufferRules {
  bufferSeconds: number;
  /** A free piece shorter than one bookable slot is blocked rather than kept. */
  slotSeconds: number;
}

const DAY_SECONDS = 24 * 3600;

/*
 * The slot rows are the mechanics module's table; creation writes them in its own transaction because
 * the slot and the booking are one consistency boundary (I-1): the window's row lock serialises the
 * bookings of one slot, and the split, the buffer and the booking insert commit or roll back together.
 */

/**
 * How long a statement of the creation may wait for a row lock (the exclusion check of a split piece
 * against a concurrent slot edit) before the request gives up with the 409 below.
 */
const CREATION_LOCK_TIMEOUT = '3000ms';

export const SLOT_BUSY_MESSAGE = 'This slot is currently being booked by another user. Please try again.';

/**
 * §3.1-1/2: the window, locked `FOR UPDATE NOWAIT`: another booking holding it is a lost race, a 409
 * at once rather than a wait (I-1). Null when the slot does not exist (any more: a split deletes it).
 * The rest of the transaction waits at most CREATION_LOCK_TIMEOUT for any other lock, and the
 * handler answers a lock timeout (55P03, which NOWAIT raises too) with the same 409, never a 500.
 */
export async function lockWindow(
  manager: EntityManager,
  availabilityId: string,
): Promise<BookingWindow | null> {
  await manager.query("SELECT set_config('lock_timeout', $1, true)", [CREATION_LOCK_TIMEOUT]);
  const rows: {
    id: string;
    mechanic_id: string;
    date: string;
    start_time: string;
    end_time: string;
    is_booked: boolean;
  }[] = await manager.query(
    `SELECT id, mechanic_id, date::text AS date, start_time::text AS start_time, end_time::text AS end_time, is_booked
       FROM availabilities WHERE id = $1 FOR UPDATE NOWAIT`,
    [availabilityId],
  );
  const [row] = rows;
  if (!row) return null;
  return {
    id: row.id,
    mechanicId: row.mechanic_id,
    date: row.date,
    range: { start: toDaySeconds(row.start_time), end: toDaySeconds(row.end_time) },
    isBooked: row.is_booked,
  };
}

/**
 * §3.1 steps 5 and 9 (effect `consumeSlot`): splits the window when a sub-slot was chosen (the window
 * row goes first, so the pieces never clash with it on (mechanic, date, start)), marks the booked
 * piece, and applies the buffer to the free slots around it. Returns the booked slot's id.
 */
export async function consumeSlot(
  manager: EntityManager,
  window: BookingWindow,
  split: WindowSplit,
  rules: BufferRules,
): Promise<string> {
  let bookedId = window.id;
  if (split.left || split.right) bookedId = await replaceWindow(manager, window, split);
  else await manager.query('UPDATE availabilities SET is_booked = true WHERE id = $1', [window.id]);
  await applyBuffer(manager, window, bookedId, split.booked, rules);
  return bookedId;
}

async function replaceWindow(
  manager: EntityManager,
  window: BookingWindow,
  split: WindowSplit,
): Promise<string> {
  await manager.query('DELETE FROM availabilities WHERE id = $1', [window.id]);
  const insert = async (range: TimeRange, isBooked: boolean): Promise<string> => {
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO availabilities (mechanic_id, date, start_time, end_time, is_booked)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [window.mechanicId, window.date, toTimeText(range.start), toTimeText(range.end), isBooked],
    );
    return row.id;
  };
  const bookedId = await insert(split.booked, true);
  for (const piece of [split.left, split.right]) if (piece) await insert(piece, false);
  return bookedId;
}

/**
 * The 15-minute buffer: the same mechanic's free slots of that day overlapping it are locked
 * `SKIP LOCKED` (a neighbour another booking holds is left to it, so adjacent bookings never deadlock)
 * and blocked or trimmed as `bufferActions` says.
 */
async function applyBuffer(
  manager: EntityManager,
  window: BookingWindow,
  bookedId: string,
  booked: TimeRange,
  rules: BufferRules,
): Promise<void> {
  const zone = bufferZone(booked, rules.bufferSeconds);
  const rows: { id: string; start_time: string; end_time: string }[] = await manager.query(
    `SELECT id, start_time::text AS start_time, end_time::text AS end_time FROM availabilities
      WHERE mechanic_id = $1 AND date = $2 AND id <> $3 AND NOT is_booked
        AND start_time < $4::time AND end_time > $5::time
      ORDER BY start_time FOR UPDATE SKIP LOCKED`,
    [
      window.mechanicId,
      window.date,
      bookedId,
      toTimeText(Math.min(zone.end, DAY_SECONDS)),
      toTimeText(Math.max(zone.start, 0)),
    ],
  );
  const neighbours: Neighbour[] = rows.map((row) => ({
    id: row.id,
    start: toDaySeconds(row.start_time),
    end: toDaySeconds(row.end_time),
  }));
  for (const action of bufferActions(booked, neighbours, rules.bufferSeconds, rules.slotSeconds)) {
    if (action.kind === 'block') {
      await manager.query('UPDATE availabilities SET is_booked = true WHERE id = $1', [action.id]);
    } else {
      await manager.query('UPDATE availabilities SET start_time = $2, end_time = $3 WHERE id = $1', [
        action.id,
        toTimeText(action.range.start),
        toTimeText(action.range.end),
      ]);
    }
  }
}
