import { type EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { entityFromRow } from '../../database/entity-rows';
import { PG_ERROR, pgErrorCode } from '../../database/pg-errors';
import { type BookingActor } from '../domain/booking-events';
import { type BookingDecision, type BookingStamp } from '../domain/booking.machine';
import { BookingEntity } from './booking.entity';
import { BookingTransitionEntity } from './booking-transition.entity';

/** How long a command waits for another one holding the booking before answering 409 (H-006/H-007). */
export const BOOKING_LOCK_TIMEOUT_MS = 3_000;

export const BOOKING_BUSY_MESSAGE = 'This booking is being updated by another request. Please try again.';

/**
 * The one way commands, webhooks and jobs take a booking before deciding on it (§2.4): the row
 * `FOR UPDATE` inside the caller's transaction, waiting at most `timeoutMs` for another transaction
 * holding it. The lock timeout stays set for the rest of that transaction, so no later statement of
 * the command waits forever either. (A table lock held by DDL or maintenance on `bookings` is taken
 * while the statement is planned, before the timeout is set: that one is waited for, as every
 * other read of the table waits for it.)
 *
 * - missing row → 404 "Booking not found" (checked first, §3.0);
 * - still locked after the timeout (55P03) → 409, never a 500. PostgreSQL has aborted the
 *   transaction by then: the caller must let the error propagate (inTransaction rolls back).
 *
 * Deadlocks and serialization failures are left to `inTransaction`, which retries the whole
 * transaction. Several rows: lock the dispute first, then the booking (§2.4).
 */
export async function lockBooking(
  manager: EntityManager,
  bookingId: string,
  timeoutMs: number = BOOKING_LOCK_TIMEOUT_MS,
): Promise<BookingEntity> {
  let rows: Record<string, unknown>[];
  try {
    // One round trip: the timeout is set by the row's filter, which runs on the row found before
    // the executor asks for the row's lock, so that wait is already bounded.
    rows = await manager.query(
      `SELECT * FROM bookings
        WHERE id = $1 AND set_config('lock_timeout', $2, true) IS NOT NULL
          FOR UPDATE`,
      [bookingId, `${Math.max(1, Math.round(timeoutMs))}ms`],
    );
  } catch (error) {
    if (pgErrorCode(error) === PG_ERROR.lockNotAvailable)
      throw new DomainError('booking_busy', BOOKING_BUSY_MESSAGE);
    throw error;
  }
  if (rows.length === 0) throw new DomainError('booking_not_found', 'Booking not found');
  return entityFromRow(manager, BookingEntity, rows[0]);
}

/** Columns the handlers set themselves alongside a transition (the machine decides the others). */
export type HandlerColumns = Partial<
  Pick<
    BookingEntity,
    'checkInCode' | 'checkInCodeAttempts' | 'checkInCodeGeneratedAt' | 'releaseDueAt' | 'paymentAuthorizedAt'
  >
>;

const STAMP_COLUMNS: Record<BookingStamp, keyof BookingEntity> = {
  confirmedAt: 'confirmedAt',
  cancelledAt: 'cancelledAt',
  checkInAt: 'checkInAt',
  checkOutAt: 'checkOutAt',
  paymentReleasedAt: 'paymentReleasedAt',
};

function actorColumns(actor: BookingActor) {
  return { actorRole: actor.role, actorId: actor.role === 'system' ? null : actor.userId };
}

/**
 * The single writer of `bookings.status`: applies a decision of the machine to the locked row and
 * appends its `booking_transitions` row, in the caller's transaction, so the state and its history
 * commit or roll back together. `at` is the handler's Clock time. The row is updated only if it is
 * still in the decision's `from` state (it is, under the lock; anything else is a bug, not a race).
 */
export async function recordTransition(
  manager: EntityManager,
  booking: BookingEntity,
  decision: BookingDecision,
  actor: BookingActor,
  options: { at: Date; set?: HandlerColumns },
): Promise<BookingEntity> {
  if (decision.from === null || decision.from !== booking.status) {
    throw new Error(
      `Decision from '${decision.from}' applied to booking ${booking.id} in '${booking.status}'`,
    );
  }
  const { at } = options;
  const { clearMechanicLocation, ...columns } = decision.columns;
  const changes: Partial<BookingEntity> = { ...columns, ...options.set, status: decision.to, updatedAt: at };
  for (const stamp of decision.stamps) Object.assign(changes, { [STAMP_COLUMNS[stamp]]: at });
  if (clearMechanicLocation)
    Object.assign(changes, { mechanicLat: null, mechanicLng: null, mechanicLocationUpdatedAt: null });

  const moved: unknown[] = await manager.query(
    ...updateWithTransition(manager, booking.id, decision.from, changes, {
      toStatus: decision.to,
      event: decision.event,
      ...actorColumns(actor),
      machineVersion: decision.machineVersion,
      at,
    }),
  );
  if (moved.length !== 1) throw new Error(`Booking ${booking.id} left '${decision.from}' under its lock`);
  return Object.assign(booking, changes);
}

type TransitionRow = Pick<
  BookingTransitionEntity,
  'toStatus' | 'event' | 'actorRole' | 'actorId' | 'machineVersion' | 'at'
>;

/**
 * One statement, one round trip: the row's update (only from `fromStatus`) and, only if it updated,
 * its `booking_transitions` row. The columns are named and their values prepared from the entity's
 * metadata, as `manager.update` would, without the query builder's cost on every transition.
 */
function updateWithTransition(
  manager: EntityManager,
  bookingId: string,
  fromStatus: string,
  changes: Partial<BookingEntity>,
  transition: TransitionRow,
): [string, unknown[]] {
  const metadata = manager.connection.getMetadata(BookingEntity);
  const driver = manager.connection.driver;
  const parameters: unknown[] = [bookingId, fromStatus];
  const assignments: string[] = [];
  for (const [property, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`bookings has no column for ${property}`);
    parameters.push(driver.preparePersistentValue(value, column));
    assignments.push(`"${column.databaseName}" = $${parameters.length}`);
  }
  parameters.push(
    transition.toStatus,
    transition.event,
    transition.actorRole,
    transition.actorId,
    transition.machineVersion,
    transition.at,
  );
  const first = parameters.length - 5;
  const sql = `WITH moved AS (
      UPDATE bookings SET ${assignments.join(', ')} WHERE id = $1 AND status = $2 RETURNING id
    )
    INSERT INTO booking_transitions
      (booking_id, from_status, to_status, event, actor_role, actor_id, machine_version, at)
    SELECT id, $2, $${first}::varchar, $${first + 1}::varchar, $${first + 2}::varchar, $${first + 3}::uuid,
           $${first + 4}::integer, $${first + 5}::timestamptz
      FROM moved
    RETURNING booking_id`;
  return [sql, parameters];
}

/**
 * Everything a new booking row holds besides what the machine and the database fill in. The id may
 * be chosen by the caller (creation names the booking in its PaymentIntent logs before the insert).
 */
export type NewBooking = Partial<Pick<BookingEntity, 'id'>> &
  Omit<
    BookingEntity,
    | 'id'
    | 'status'
    | 'createdAt'
    | 'updatedAt'
    | 'paymentAuthorizedAt'
    | 'checkInCode'
    | 'checkInCodeAttempts'
    | 'checkInCodeGeneratedAt'
    | 'checkInAt'
    | 'checkOutAt'
    | 'paymentReleasedAt'
    | 'releaseDueAt'
    | 'confirmedAt'
    | 'cancelledAt'
    | 'refuseReason'
    | 'proposedTime'
    | 'cancelledBy'
    | 'refundPercentage'
    | 'refundAmount'
    | 'reminder24hSent'
    | 'reminder2hSent'
    | 'mechanicLat'
    | 'mechanicLng'
    | 'mechanicLocationUpdatedAt'
  >;

/** T1: inserts the booking in the machine's initial state with its first transition row. */
export async function recordCreation(
  manager: EntityManager,
  values: NewBooking,
  decision: BookingDecision,
  actor: BookingActor,
  options: { at: Date },
): Promise<BookingEntity> {
  if (decision.from !== null || decision.event !== 'create')
    throw new Error('recordCreation needs a create decision');
  const booking = manager.create(BookingEntity, {
    ...values,
    status: decision.to,
    createdAt: options.at,
    updatedAt: options.at,
  });
  await manager.insert(BookingEntity, booking);
  await manager.insert(BookingTransitionEntity, {
    bookingId: booking.id,
    fromStatus: null,
    toStatus: decision.to,
    event: decision.event,
    ...actorColumns(actor),
    machineVersion: decision.machineVersion,
    at: options.at,
  });
  return booking;
}
