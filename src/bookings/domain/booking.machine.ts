import { and, setup, transition as xstateTransition } from 'xstate';
import { type BookingEvent, type BookingEventType, type BookingFacts } from './booking-events';
import { type BookingEffect, BOOKING_EFFECTS, PAYMENT_EFFECTS } from './booking-effects';
import { cancellationRefund, GUARDS, type GuardInput, PRECONDITION_REFUSALS } from './booking-guards';
import { MESSAGES, refusal, type BookingRefusal } from './booking-refusals';
import { BOOKING_STATUSES, type BookingStatus, type CancelledBy, type RefusalReason } from './booking-status';
import { type MachineState, NEW_BOOKING, TRANSITIONS } from './booking-transitions';
import { fromCents, toCents } from './money';
import { type RefundPercentage } from './refund-policy';

export { NEW_BOOKING, type MachineState } from './booking-transitions';

/**
 * Recorded with every transition (`booking_transitions.machine_version`). Bump it whenever a state,
 * an event, a guard or an effect changes: the machine spec pins the definition's fingerprint to it.
 */
export const BOOKING_MACHINE_VERSION = 1;

const noop = () => undefined;

function stateConfig(state: MachineState) {
  const on = Object.fromEntries(
    Object.entries(TRANSITIONS[state]).map(([event, rules]) => [
      event,
      rules.map((rule) => ({
        target: rule.target,
        guard: and([...rule.guards]),
        actions: [...rule.effects],
      })),
    ]),
  );
  const terminal = state === 'completed' || state === 'cancelled';
  return terminal ? { type: 'final' as const } : { on };
}

export const MACHINE_STATES: readonly MachineState[] = [NEW_BOOKING, ...BOOKING_STATUSES];

/**
 * The rule book (CONVENTIONS: xstate v5 as a pure function, no actors, no timers). Context is the
 * facts the handler loaded; guards are synchronous over (facts, event); actions are effect names.
 */
export const bookingMachine = setup({
  types: {
    context: {} as BookingFacts,
    events: {} as BookingEvent,
    input: {} as BookingFacts,
  },
  guards: GUARDS,
  actions: Object.fromEntries(BOOKING_EFFECTS.map((effect) => [effect, noop])) as Record<
    BookingEffect,
    typeof noop
  >,
}).createMachine({
  id: 'booking',
  initial: NEW_BOOKING,
  context: ({ input }) => input,
  // The configs are built from TRANSITIONS, whose names the setup above declares.
  states: Object.fromEntries(MACHINE_STATES.map((state) => [state, stateConfig(state)])) as never,
});

/** The next state and the effect names, or null when no transition of `event` passes its guards. */
export function runMachine(
  state: MachineState,
  facts: BookingFacts,
  event: BookingEvent,
): { target: MachineState; effects: BookingEffect[] } | null {
  const snapshot = bookingMachine.resolveState({ value: state, context: facts });
  if (!snapshot.can(event)) return null;
  const [next, actions] = xstateTransition(bookingMachine, snapshot, event);
  return {
    target: next.value as MachineState,
    effects: actions.map((action) => action.type as BookingEffect),
  };
}

/** The timestamp columns a transition sets to the time of the change (recordTransition's `at`). */
export type BookingStamp = 'confirmedAt' | 'cancelledAt' | 'checkInAt' | 'checkOutAt' | 'paymentReleasedAt';

/** The other columns the machine decides; everything else is the handler's (see recordTransition). */
export interface DecidedColumns {
  cancelledBy?: CancelledBy | null;
  refundPercentage?: RefundPercentage;
  refundAmount?: string;
  refuseReason?: RefusalReason;
  proposedTime?: string | null;
  /** Cleared once the code was entered (I-8: no reuse). */
  checkInCode?: null;
  clearMechanicLocation?: true;
}

export interface BookingDecision {
  readonly ok: true;
  readonly from: BookingStatus | null;
  readonly to: BookingStatus;
  readonly event: BookingEventType;
  readonly effects: readonly BookingEffect[];
  readonly columns: DecidedColumns;
  readonly stamps: readonly BookingStamp[];
  readonly machineVersion: number;
}

export type BookingDecisionResult = BookingDecision | BookingRefusal;

const PAYMENTS = new Set<BookingEffect>(PAYMENT_EFFECTS);

/** Who may send each event, checked before the state (the spec's order: 404, 403, then 409). */
type Audience = 'verified_buyer' | 'mechanic' | 'participant' | 'admin' | 'system';

const AUDIENCE: Record<BookingEventType, Audience> = {
  create: 'verified_buyer',
  accept: 'mechanic',
  refuse: 'mechanic',
  cancel: 'participant',
  check_in: 'verified_buyer',
  report_no_show: 'verified_buyer',
  enter_code: 'mechanic',
  check_out: 'mechanic',
  validate: 'verified_buyer',
  dispute: 'verified_buyer',
  release_payment: 'system',
  payment_succeeded: 'system',
  payment_failed: 'system',
  payment_canceled: 'system',
  expire_pending: 'system',
  stripe_dispute_opened: 'system',
  resolve_for_buyer: 'admin',
  resolve_for_mechanic: 'admin',
  suspend_mechanic: 'admin',
  close_account: 'participant',
};

/** §2.2 409 messages; the system events are never answered over HTTP but say the same. */
const CONFLICT: Record<BookingEventType, (status: string) => string> = {
  create: (s) => `Cannot create: booking status is '${s}'`,
  accept: (s) => `Cannot accept: booking status is '${s}'`,
  refuse: (s) => `Cannot refuse a booking in '${s}' status`,
  cancel: (s) => `Cannot cancel: booking status is '${s}'`,
  check_in: (s) => `Cannot check in: booking status is '${s}'`,
  report_no_show: (s) => `Cannot check in: booking status is '${s}'`,
  enter_code: (s) => `Cannot enter code: booking status is '${s}'`,
  check_out: (s) => `Cannot check out: booking status is '${s}'`,
  validate: (s) => `Cannot validate: booking status is '${s}'`,
  dispute: (s) => `Cannot validate: booking status is '${s}'`,
  release_payment: (s) => `Cannot release payment: booking status is '${s}'`,
  payment_succeeded: (s) => `Cannot complete: booking status is '${s}'`,
  payment_failed: (s) => `Cannot cancel: booking status is '${s}'`,
  payment_canceled: (s) => `Cannot cancel: booking status is '${s}'`,
  expire_pending: (s) => `Cannot expire: booking status is '${s}'`,
  stripe_dispute_opened: (s) => `Cannot transition from '${s}' to 'disputed'`,
  resolve_for_buyer: (s) => `Cannot transition from '${s}' to 'cancelled'`,
  resolve_for_mechanic: (s) => `Cannot transition from '${s}' to 'completed'`,
  suspend_mechanic: (s) => `Cannot cancel: booking status is '${s}'`,
  close_account: (s) => `Cannot cancel: booking status is '${s}'`,
};

function authorise(input: GuardInput): BookingRefusal | null {
  const { event } = input;
  const { actor } = event;
  const notYours = refusal('not_your_booking', MESSAGES.notYourBooking);
  switch (AUDIENCE[event.type]) {
    case 'verified_buyer':
      if (actor.role !== 'buyer') return refusal('access_denied', MESSAGES.onlyBuyers);
      if (!actor.emailVerified) return refusal('email_not_verified', MESSAGES.emailNotVerified);
      return GUARDS.buyerOwner(input) ? null : notYours;
    case 'mechanic':
      if (actor.role !== 'mechanic') return refusal('access_denied', MESSAGES.onlyMechanics);
      return GUARDS.mechanicOwner(input) ? null : notYours;
    case 'participant':
      if (actor.role === 'admin' && event.type === 'cancel')
        return refusal('admin_cannot_cancel', MESSAGES.adminCannotCancel);
      return GUARDS.participant(input) ? null : notYours;
    case 'admin':
      return actor.role === 'admin' ? null : refusal('access_denied', MESSAGES.adminOnly);
    case 'system':
      return actor.role === 'system' ? null : refusal('access_denied', 'Only the system sends this event');
  }
}

/**
 * The only way to change a booking's status (I-2): endpoints, webhooks, jobs and admin actions all
 * lock the row, load the facts, and ask here. `status` is null for a booking not created yet.
 * Refusals come in the spec's order: who (403), the state (409), then the preconditions of the
 * event in the order of its guard list (400/409/429).
 */
export function decide(
  status: BookingStatus | null,
  facts: BookingFacts,
  event: BookingEvent,
): BookingDecisionResult {
  const input: GuardInput = { context: facts, event };
  const state = status ?? NEW_BOOKING;

  const forbidden = authorise(input);
  if (forbidden) return forbidden;

  const rules = TRANSITIONS[state][event.type];
  if (!rules) return refusal('booking_state_conflict', CONFLICT[event.type](status ?? 'none'));

  const next = runMachine(state, facts, event);
  if (!next) {
    // Who passed and the state has the event, so a precondition failed: report the first one.
    for (const rule of rules) {
      for (const guard of rule.guards) {
        const refused = PRECONDITION_REFUSALS[guard];
        if (refused && !GUARDS[guard](input)) return refused;
      }
    }
    return refusal('booking_state_conflict', CONFLICT[event.type](state));
  }

  const to = next.target as BookingStatus;
  return {
    ok: true,
    from: status,
    to,
    event: event.type,
    // A booking without a PaymentIntent (legacy, development) has no money to move.
    effects: next.effects.filter((effect) => facts.hasPaymentIntent || !PAYMENTS.has(effect)),
    ...columnsFor(to, next.effects, input),
    machineVersion: BOOKING_MACHINE_VERSION,
  };
}

function columnsFor(
  to: BookingStatus,
  effects: readonly BookingEffect[],
  input: GuardInput,
): { columns: DecidedColumns; stamps: BookingStamp[] } {
  const { event, context } = input;
  const columns: DecidedColumns = {};
  const stamps: BookingStamp[] = [];
  if (effects.includes('clearMechanicLocation')) columns.clearMechanicLocation = true;
  switch (to) {
    case 'confirmed':
      stamps.push('confirmedAt');
      break;
    case 'check_in_done':
      stamps.push('checkInAt');
      columns.checkInCode = null;
      break;
    case 'check_out_done':
      stamps.push('checkOutAt');
      break;
    case 'completed':
      stamps.push('paymentReleasedAt');
      break;
    case 'cancelled': {
      stamps.push('cancelledAt');
      columns.cancelledBy = cancelledBy(event);
      const refund = refundFor(event, input);
      if (refund !== null) {
        columns.refundPercentage = refund;
        columns.refundAmount =
          event.type === 'cancel'
            ? fromCents(cancellationRefund(input).amountCents)
            : fromCents(toCents(context.totalPrice));
      }
      // N13.9: the 0 % band pays the mechanic now.
      if (effects.includes('captureForMechanic')) stamps.push('paymentReleasedAt');
      if (event.type === 'refuse') {
        columns.refuseReason = event.reason;
        columns.proposedTime = event.proposedTime;
      }
      break;
    }
  }
  return { columns, stamps };
}

/** `cancelled_by` can only say buyer or mechanic (§1.1); an admin's resolution leaves it null. */
function cancelledBy(event: BookingEvent): CancelledBy | null {
  switch (event.type) {
    case 'cancel':
    case 'close_account':
      return event.actor.role === 'buyer' ? 'buyer' : 'mechanic';
    case 'payment_failed':
    case 'payment_canceled':
      return 'buyer';
    case 'resolve_for_buyer':
      return null;
    default:
      // refuse, expire_pending (a timeout is attributed to the mechanic, without penalty), suspension.
      return 'mechanic';
  }
}

/** Refund fields: the band for `cancel`; 100 % wherever the hold is released; none for webhook losses. */
function refundFor(event: BookingEvent, input: GuardInput): RefundPercentage | null {
  if (event.type === 'cancel') return cancellationRefund(input).percentage;
  if (event.type === 'payment_failed' || event.type === 'payment_canceled') return null;
  return 100;
}
