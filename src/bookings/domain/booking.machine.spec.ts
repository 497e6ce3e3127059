import { createHash } from 'node:crypto';
import {
  BOOKING_EVENT_TYPES,
  type BookingActor,
  type BookingEvent,
  type BookingEventType,
  type BookingFacts,
  DEFAULT_BOOKING_RULES,
} from './booking-events';
import { type BookingEffect } from './booking-effects';
import { type BookingRefusal } from './booking-refusals';
import { BOOKING_STATUSES, type BookingStatus } from './booking-status';
import { TRANSITIONS } from './booking-transitions';
import { BOOKING_MACHINE_VERSION, type BookingDecision, decide } from './booking.machine';

const HOUR = 3_600_000;
const BUYER = 'b0000000-0000-4000-8000-000000000001';
const OTHER_BUYER = 'b0000000-0000-4000-8000-000000000002';
const MECHANIC_USER = 'm0000000-0000-4000-8000-000000000001';
const PROFILE = 'p0000000-0000-4000-8000-000000000001';
const OTHER_PROFILE = 'p0000000-0000-4000-8000-000000000002';

const ACTORS = {
  buyer: { role: 'buyer', userId: BUYER, emailVerified: true },
  unverifiedBuyer: { role: 'buyer', userId: BUYER, emailVerified: false },
  otherBuyer: { role: 'buyer', userId: OTHER_BUYER, emailVerified: true },
  mechanic: { role: 'mechanic', userId: MECHANIC_USER, profileId: PROFILE },
  otherMechanic: { role: 'mechanic', userId: 'm2', profileId: OTHER_PROFILE },
  admin: { role: 'admin', userId: 'a0000000-0000-4000-8000-000000000001' },
  system: { role: 'system' },
} as const satisfies Record<string, BookingActor>;
type ActorKey = keyof typeof ACTORS;
const ACTOR_KEYS = Object.keys(ACTORS) as ActorKey[];

/** Facts under which every precondition holds: slot now (in the check-in window, 0 % band). */
function facts(overrides: Partial<BookingFacts> = {}): BookingFacts {
  return {
    buyerId: BUYER,
    mechanicUserId: MECHANIC_USER,
    mechanicProfileId: PROFILE,
    totalPrice: '40.00',
    hasPaymentIntent: true,
    paymentAuthorized: true,
    msUntilSlotStart: 0,
    msSinceCreated: 3 * HOUR,
    msSinceCodeIssued: 60_000,
    checkInCodeAttempts: 0,
    hasDispute: false,
    disputeReason: null,
    rules: DEFAULT_BOOKING_RULES,
    ...overrides,
  };
}

function event(type: BookingEventType, actor: BookingActor): BookingEvent {
  switch (type) {
    case 'refuse':
      return { type, actor, reason: 'too_far', proposedTime: null };
    case 'enter_code':
      return { type, actor, codeMatches: true };
    case 'dispute':
      return { type, actor, reason: 'wrong_info', description: 'Wrong plate', photoUrls: null };
    case 'stripe_dispute_opened':
      return { type, actor, reason: 'other', description: 'Auto-created from Stripe dispute dp_1: general' };
    case 'resolve_for_buyer':
    case 'resolve_for_mechanic':
      return { type, actor, disputeId: '00000000-0000-4000-8000-000000000001', notes: '' };
    default:
      return { type, actor } as BookingEvent;
  }
}

// ---------------------------------------------------------------------------------------------
// The oracle, written from the spec (§0.7 dependencies, §2.2 matrix, §2.3 catalogue), not from the
// machine's table: who may send each event, and every allowed (state, event) with its outcome.
// ---------------------------------------------------------------------------------------------

const WHO: Record<BookingEventType, ActorKey[]> = {
  create: ['buyer'],
  accept: ['mechanic'],
  refuse: ['mechanic'],
  cancel: ['buyer', 'unverifiedBuyer', 'mechanic'],
  check_in: ['buyer'],
  report_no_show: ['buyer'],
  enter_code: ['mechanic'],
  check_out: ['mechanic'],
  validate: ['buyer'],
  dispute: ['buyer'],
  release_payment: ['system'],
  payment_succeeded: ['system'],
  payment_failed: ['system'],
  payment_canceled: ['system'],
  expire_pending: ['system'],
  stripe_dispute_opened: ['system'],
  resolve_for_buyer: ['admin'],
  resolve_for_mechanic: ['admin'],
  suspend_mechanic: ['admin'],
  close_account: ['buyer', 'unverifiedBuyer', 'mechanic'],
};

/** The refusal an actor outside WHO gets (the route guards' messages, then ownership). */
function expectedForbidden(type: BookingEventType, actor: ActorKey): string {
  const buyerEvents = ['create', 'check_in', 'report_no_show', 'validate', 'dispute'];
  const mechanicEvents = ['accept', 'refuse', 'enter_code', 'check_out'];
  const adminEvents = ['resolve_for_buyer', 'resolve_for_mechanic', 'suspend_mechanic'];
  const role = ACTORS[actor].role;
  if (buyerEvents.includes(type)) {
    if (role !== 'buyer') return 'access_denied';
    return actor === 'unverifiedBuyer' ? 'email_not_verified' : 'not_your_booking';
  }
  if (mechanicEvents.includes(type)) return role === 'mechanic' ? 'not_your_booking' : 'access_denied';
  if (adminEvents.includes(type)) return 'access_denied';
  if (type === 'cancel' && role === 'admin') return 'admin_cannot_cancel';
  if (type === 'cancel' || type === 'close_account') return 'not_your_booking';
  return 'access_denied';
}

interface Outcome {
  to: BookingStatus;
  effects: BookingEffect[];
}
const CANCEL_BUYER_NOW: Outcome = {
  to: 'cancelled',
  effects: [
    'captureForMechanic',
    'releaseSlot',
    'clearMechanicLocation',
    'notifyOtherPartyCancelled',
    'countBookingCancelled',
    'countPaymentCaptured',
  ],
};
const CANCEL_IN_FULL: Outcome = {
  to: 'cancelled',
  effects: [
    'cancelPaymentInFull',
    'releaseSlot',
    'clearMechanicLocation',
    'notifyOtherPartyCancelled',
    'countBookingCancelled',
    'countPaymentRefunded',
  ],
};
const CANCEL = { buyer: CANCEL_BUYER_NOW, unverifiedBuyer: CANCEL_BUYER_NOW, mechanic: CANCEL_IN_FULL };
const LOST: Outcome = {
  to: 'cancelled',
  effects: ['releaseSlot', 'clearMechanicLocation', 'countBookingCancelled'],
};
const SUSPENDED: Outcome = {
  to: 'cancelled',
  effects: [
    'cancelPaymentInFull',
    'releaseSlot',
    'clearMechanicLocation',
    'notifyBuyerCancelled',
    'countBookingCancelled',
    'countPaymentRefunded',
  ],
};
const CHECKED_IN: Outcome = { to: 'awaiting_mechanic_code', effects: ['issueCheckInCode'] };
const STRIPE_DISPUTE: Outcome = { to: 'disputed', effects: ['openDispute', 'countDisputeOpened'] };
const BUYER_DISPUTE: Outcome = {
  to: 'disputed',
  effects: ['openDispute', 'notifyMechanicDisputed', 'countDisputeOpened'],
};
const CLOSED: Outcome = {
  to: 'cancelled',
  effects: ['cancelPaymentBestEffort', 'releaseSlot', 'clearMechanicLocation', 'countBookingCancelled'],
};

type State = BookingStatus | 'new';
const ALLOWED: Record<
  State,
  Partial<Record<BookingEventType, Outcome | Partial<Record<ActorKey, Outcome>>>>
> = {
  new: {
    create: {
      to: 'pending_acceptance',
      effects: ['authorizePayment', 'consumeSlot', 'notifyMechanicBookingCreated', 'countBookingCreated'],
    },
  },
  pending_acceptance: {
    accept: { to: 'confirmed', effects: ['notifyBuyerConfirmed'] },
    refuse: {
      to: 'cancelled',
      effects: [
        'cancelPaymentInFull',
        'releaseSlot',
        'clearMechanicLocation',
        'notifyBuyerRefused',
        'countBookingCancelled',
        'countPaymentRefunded',
      ],
    },
    cancel: CANCEL,
    payment_failed: LOST,
    payment_canceled: LOST,
    expire_pending: { ...SUSPENDED },
    suspend_mechanic: SUSPENDED,
    close_account: CLOSED,
  },
  confirmed: {
    cancel: CANCEL,
    check_in: CHECKED_IN,
    report_no_show: {
      to: 'disputed',
      effects: ['openDispute', 'notifyMechanicNoShow', 'countDisputeOpened'],
    },
    payment_canceled: LOST,
    stripe_dispute_opened: STRIPE_DISPUTE,
    suspend_mechanic: SUSPENDED,
  },
  awaiting_mechanic_code: {
    cancel: CANCEL,
    check_in: CHECKED_IN,
    enter_code: { to: 'check_in_done', effects: [] },
  },
  check_in_done: {
    cancel: CANCEL,
    check_out: {
      to: 'check_out_done',
      effects: ['storeInspectionReport', 'clearMechanicLocation', 'notifyBuyerReportReady'],
    },
    dispute: BUYER_DISPUTE,
    stripe_dispute_opened: STRIPE_DISPUTE,
  },
  check_out_done: {
    validate: { to: 'validated', effects: ['schedulePaymentRelease'] },
    dispute: BUYER_DISPUTE,
    stripe_dispute_opened: STRIPE_DISPUTE,
  },
  validated: {
    release_payment: {
      to: 'completed',
      effects: ['capturePayment', 'countPaymentCaptured', 'countBookingCompleted'],
    },
    payment_succeeded: { to: 'completed', effects: ['countPaymentCaptured', 'countBookingCompleted'] },
  },
  disputed: {
    resolve_for_buyer: {
      to: 'cancelled',
      effects: [
        'cancelPaymentInFull',
        'resolveDispute',
        'writeAuditLog',
        'notifyPartiesDisputeResolved',
        'countBookingCancelled',
        'countPaymentRefunded',
      ],
    },
    resolve_for_mechanic: {
      to: 'completed',
      effects: [
        'capturePayment',
        'resolveDispute',
        'writeAuditLog',
        'notifyPartiesDisputeResolved',
        'countPaymentCaptured',
        'countBookingCompleted',
      ],
    },
  },
  completed: {},
  cancelled: {},
};
// expire_pending notifies the buyer like a suspension: same effects.

function outcomeFor(state: State, type: BookingEventType, actor: ActorKey): Outcome | undefined {
  const entry = ALLOWED[state][type];
  if (!entry) return undefined;
  return 'to' in entry ? (entry as Outcome) : (entry as Partial<Record<ActorKey, Outcome>>)[actor];
}

const STATES: State[] = ['new', ...BOOKING_STATUSES];

describe('booking machine: the full (state, event, actor) matrix', () => {
  const cases = STATES.flatMap((state) =>
    BOOKING_EVENT_TYPES.flatMap((type) => ACTOR_KEYS.map((actor) => [state, type, actor] as const)),
  );

  it.each(cases)('%s + %s by %s', (state, type, actor) => {
    const decision = decide(state === 'new' ? null : state, facts(), event(type, ACTORS[actor]));
    const allowedActor = WHO[type].includes(actor);
    const outcome = outcomeFor(state, type, actor);

    if (!allowedActor) {
      expect(decision).toMatchObject({ ok: false, code: expectedForbidden(type, actor) });
    } else if (!outcome) {
      expect(decision).toMatchObject({ ok: false, code: 'booking_state_conflict' });
    } else {
      expect(decision).toMatchObject({ ok: true, from: state === 'new' ? null : state, event: type });
      const { to, effects } = decision as BookingDecision;
      expect({ to, effects }).toEqual(outcome);
    }
  });

  it('I-2: terminal states accept no event at all, from anyone', () => {
    for (const state of ['completed', 'cancelled'] as const)
      for (const type of BOOKING_EVENT_TYPES)
        for (const actor of ACTOR_KEYS)
          expect(decide(state, facts(), event(type, ACTORS[actor])).ok).toBe(false);
  });

  it('the machine allows exactly the (state, event) pairs of the oracle (§2.2 matrix)', () => {
    const machinePairs = Object.entries(TRANSITIONS).flatMap(([state, events]) =>
      Object.keys(events).map((type) => `${state}:${type}`),
    );
    const oraclePairs = Object.entries(ALLOWED).flatMap(([state, events]) =>
      Object.keys(events).map((type) => `${state}:${type}`),
    );
    expect(machinePairs.sort()).toEqual(oraclePairs.sort());
  });

  it('every target respects the §2.2 allowed-transition matrix', () => {
    const matrix: Record<string, string[]> = {
      new: ['pending_acceptance'],
      pending_acceptance: ['confirmed', 'cancelled'],
      confirmed: ['awaiting_mechanic_code', 'cancelled', 'disputed'],
      // T8b: a fresh code keeps the booking where it is.
      awaiting_mechanic_code: ['check_in_done', 'cancelled', 'awaiting_mechanic_code'],
      check_in_done: ['check_out_done', 'cancelled', 'disputed'],
      check_out_done: ['validated', 'disputed'],
      validated: ['completed'],
      disputed: ['cancelled', 'completed'],
      completed: [],
      cancelled: [],
    };
    for (const [state, events] of Object.entries(TRANSITIONS))
      for (const rules of Object.values(events))
        for (const rule of rules ?? []) expect(matrix[state]).toContain(rule.target);
  });

  it('the machine version is bumped whenever the definition changes', () => {
    const fingerprint = createHash('sha256').update(JSON.stringify(TRANSITIONS)).digest('hex').slice(0, 16);
    // When this fails: bump BOOKING_MACHINE_VERSION and record the new fingerprint under it.
    const KNOWN: Record<number, string> = { 1: 'ef51fd4631159393' };
    expect({ version: BOOKING_MACHINE_VERSION, fingerprint }).toEqual({
      version: BOOKING_MACHINE_VERSION,
      fingerprint: KNOWN[BOOKING_MACHINE_VERSION],
    });
  });
});

function refused(result: ReturnType<typeof decide>): BookingRefusal {
  expect(result.ok).toBe(false);
  return result as BookingRefusal;
}
function decided(result: ReturnType<typeof decide>): BookingDecision {
  expect(result).toMatchObject({ ok: true });
  return result as BookingDecision;
}

describe("booking machine: preconditions, in the order of each endpoint's guard list", () => {
  const buyer = ACTORS.buyer;
  const mechanic = ACTORS.mechanic;

  it('T2 accept: no PaymentIntent → 400, then an unauthorised one → 400 (N13.15)', () => {
    const noIntent = refused(
      decide(
        'pending_acceptance',
        facts({ hasPaymentIntent: false, paymentAuthorized: false }),
        event('accept', mechanic),
      ),
    );
    expect(noIntent).toMatchObject({
      code: 'booking_without_payment',
      message: 'Booking has no payment associated',
    });
    expect(
      refused(decide('pending_acceptance', facts({ paymentAuthorized: false }), event('accept', mechanic)))
        .code,
    ).toBe('payment_not_authorized');
  });

  it('403 comes before 409: another mechanic accepting a confirmed booking is told it is not theirs (ACC-02/03)', () => {
    expect(refused(decide('confirmed', facts(), event('accept', ACTORS.otherMechanic)))).toMatchObject({
      code: 'not_your_booking',
      message: 'Not your booking',
    });
    expect(refused(decide('confirmed', facts(), event('accept', mechanic)))).toMatchObject({
      code: 'booking_state_conflict',
      message: "Cannot accept: booking status is 'confirmed'",
    });
  });

  it('§2.2 messages: refuse, cancel (N13.11: not from disputed), resolution', () => {
    expect(refused(decide('confirmed', facts(), event('refuse', mechanic))).message).toBe(
      "Cannot refuse a booking in 'confirmed' status",
    );
    expect(refused(decide('disputed', facts(), event('cancel', buyer))).message).toBe(
      "Cannot cancel: booking status is 'disputed'",
    );
    expect(refused(decide('completed', facts(), event('resolve_for_buyer', ACTORS.admin))).message).toBe(
      "Cannot transition from 'completed' to 'cancelled'",
    );
    expect(refused(decide('confirmed', facts(), event('cancel', ACTORS.admin)))).toMatchObject({
      code: 'admin_cannot_cancel',
      message: 'Admins cannot cancel bookings via this endpoint',
    });
  });

  it('N13.12: a dispute through validate is refused from confirmed, allowed from check_in_done and check_out_done', () => {
    expect(refused(decide('confirmed', facts(), event('dispute', buyer))).message).toBe(
      "Cannot validate: booking status is 'confirmed'",
    );
    expect(decided(decide('check_in_done', facts(), event('dispute', buyer))).to).toBe('disputed');
    expect(decided(decide('check_out_done', facts(), event('dispute', buyer))).to).toBe('disputed');
    expect(refused(decide('check_out_done', facts({ hasDispute: true }), event('dispute', buyer))).code).toBe(
      'dispute_exists',
    );
  });

  it('T8/T9: the check-in window is ±30 minutes around the slot start, and a slot is required', () => {
    const at = (ms: number | null) =>
      decide('confirmed', facts({ msUntilSlotStart: ms }), event('check_in', buyer));
    expect(decided(at(30 * 60_000)).to).toBe('awaiting_mechanic_code');
    expect(decided(at(-30 * 60_000)).to).toBe('awaiting_mechanic_code');
    expect(refused(at(30 * 60_000 + 1)).code).toBe('check_in_window');
    expect(refused(at(-3 * HOUR))).toMatchObject({
      code: 'check_in_window',
      message: 'Check-in only allowed within 30 minutes of the appointment time',
    });
    expect(refused(at(null))).toMatchObject({
      code: 'booking_availability_missing',
      message: 'Availability data missing for this booking',
    });
    const noShow = (f: Partial<BookingFacts>) =>
      decide('confirmed', facts(f), event('report_no_show', buyer));
    expect(refused(noShow({ msUntilSlotStart: 2 * HOUR })).code).toBe('check_in_window');
    expect(refused(noShow({ hasDispute: true })).code).toBe('dispute_exists');
  });

  it('N13.7: check-in again from awaiting_mechanic_code issues a fresh code; a no-show report from there is a 409', () => {
    const again = decided(decide('awaiting_mechanic_code', facts(), event('check_in', buyer)));
    expect(again).toMatchObject({
      from: 'awaiting_mechanic_code',
      to: 'awaiting_mechanic_code',
      effects: ['issueCheckInCode'],
    });
    expect(refused(decide('awaiting_mechanic_code', facts(), event('report_no_show', buyer))).code).toBe(
      'booking_state_conflict',
    );
  });

  it('T10 enter-code: expiry (> 900 s), then the attempt cap (429), then the comparison; a wrong code counts (N13.6)', () => {
    const enter = (f: Partial<BookingFacts>, codeMatches = true) =>
      decide('awaiting_mechanic_code', facts(f), { type: 'enter_code', actor: mechanic, codeMatches });
    expect(decided(enter({ msSinceCodeIssued: 900_000 })).columns).toEqual({ checkInCode: null });
    expect(refused(enter({ msSinceCodeIssued: 900_001 }, false)).code).toBe('check_in_code_expired');
    expect(refused(enter({ checkInCodeAttempts: 5 }, false))).toMatchObject({
      code: 'check_in_attempts_exhausted',
      message: 'Too many failed attempts. Please ask the buyer to generate a new code.',
    });
    expect(decided(enter({ checkInCodeAttempts: 4 })).stamps).toEqual(['checkInAt']);
    expect(refused(enter({ checkInCodeAttempts: 4 }, false))).toEqual({
      ok: false,
      code: 'check_in_code_incorrect',
      message: 'Incorrect code.',
      countsAsFailedAttempt: true,
    });
  });

  it("T5: the expiry job re-checks the delay under the lock (N13.16); a timeout is the mechanic's, 100 % back", () => {
    const expire = (ms: number) =>
      decide('pending_acceptance', facts({ msSinceCreated: ms }), event('expire_pending', ACTORS.system));
    expect(refused(expire(2 * HOUR)).code).toBe('booking_not_due');
    expect(decided(expire(2 * HOUR + 1)).columns).toEqual({
      cancelledBy: 'mechanic',
      refundPercentage: 100,
      refundAmount: '40.00',
      clearMechanicLocation: true,
    });
  });
});

describe('booking machine: cancellation bands and money (§5, H-005, I-6)', () => {
  const cancel = (ms: number | null, actor: BookingActor = ACTORS.buyer, totalPrice = '50.00') =>
    decided(decide('confirmed', facts({ msUntilSlotStart: ms, totalPrice }), event('cancel', actor)));

  it('CAN-06: strictly greater than 24 h → 100 %, 12–24 h → 50 %, 12 h or less → 0 %', () => {
    const percentages = [
      24 * HOUR + 60_000,
      24 * HOUR,
      23 * HOUR + 59 * 60_000,
      12 * HOUR + 60_000,
      12 * HOUR,
      11 * HOUR,
    ].map((ms) => cancel(ms).columns.refundPercentage);
    expect(percentages).toEqual([100, 50, 50, 50, 0, 0]);
  });

  it('CAN-01/02/03 and D8: the band picks the money effect; the 0 % band pays the mechanic now (N13.9)', () => {
    expect(cancel(48 * HOUR).effects[0]).toBe('cancelPaymentInFull');
    const half = cancel(18 * HOUR);
    expect(half.effects[0]).toBe('refundHalfToBuyer');
    expect(half.columns).toMatchObject({ cancelledBy: 'buyer', refundPercentage: 50, refundAmount: '25.00' });
    const late = cancel(6 * HOUR);
    expect(late.effects[0]).toBe('captureForMechanic');
    expect(late.columns).toMatchObject({ refundPercentage: 0, refundAmount: '0.00' });
    expect(late.stamps).toEqual(['cancelledAt', 'paymentReleasedAt']);
  });

  it('CAN-04/CAN-05: no slot → 100 %; the mechanic always refunds 100 %', () => {
    expect(cancel(null).columns.refundPercentage).toBe(100);
    expect(cancel(6 * HOUR, ACTORS.mechanic).columns).toMatchObject({
      cancelledBy: 'mechanic',
      refundPercentage: 100,
      refundAmount: '50.00',
    });
  });

  it('CAN-08 / I-6: refunds round half-up and never exceed the price', () => {
    expect(cancel(18 * HOUR, ACTORS.buyer, '49.99').columns.refundAmount).toBe('25.00');
    expect(cancel(18 * HOUR, ACTORS.buyer, '0.01').columns.refundAmount).toBe('0.01');
    for (const total of ['0.00', '0.01', '0.03', '40.00', '49.99', '99999999.99'])
      for (const ms of [null, 48 * HOUR, 18 * HOUR, HOUR]) {
        const { refundAmount } = cancel(ms, ACTORS.buyer, total).columns;
        expect(Number(refundAmount)).toBeLessThanOrEqual(Number(total));
      }
  });

  it('a booking without a PaymentIntent moves no money, whatever the band', () => {
    const result = decided(
      decide(
        'confirmed',
        facts({ hasPaymentIntent: false, msUntilSlotStart: 6 * HOUR }),
        event('cancel', ACTORS.buyer),
      ),
    );
    expect(result.effects).toEqual([
      'releaseSlot',
      'clearMechanicLocation',
      'notifyOtherPartyCancelled',
      'countBookingCancelled',
      'countPaymentCaptured',
    ]);
  });

  it('T3 refuse records the reason, the proposed time and a full refund', () => {
    const result = decided(
      decide('pending_acceptance', facts(), {
        type: 'refuse',
        actor: ACTORS.mechanic,
        reason: 'not_available',
        proposedTime: '14:30',
      }),
    );
    expect(result.columns).toEqual({
      cancelledBy: 'mechanic',
      refundPercentage: 100,
      refundAmount: '40.00',
      refuseReason: 'not_available',
      proposedTime: '14:30',
      clearMechanicLocation: true,
    });
    expect(result.machineVersion).toBe(BOOKING_MACHINE_VERSION);
  });

  it('T6/T7 webhooks: cancelled by the buyer, no refund fields (§4.8)', () => {
    const result = decided(decide('confirmed', facts(), event('payment_canceled', ACTORS.system)));
    expect(result.columns).toEqual({ cancelledBy: 'buyer', clearMechanicLocation: true });
  });

  it('T15: a no-show dispute resolved for the buyer applies the penalty (§8.1); cancelled_by stays null', () => {
    const noShow = decided(
      decide(
        'disputed',
        facts({ hasDispute: true, disputeReason: 'no_show' }),
        event('resolve_for_buyer', ACTORS.admin),
      ),
    );
    expect(noShow.effects).toContain('applyNoShowPenalty');
    expect(noShow.columns).toMatchObject({ cancelledBy: null, refundPercentage: 100, refundAmount: '40.00' });
    const other = decided(
      decide(
        'disputed',
        facts({ hasDispute: true, disputeReason: 'wrong_info' }),
        event('resolve_for_buyer', ACTORS.admin),
      ),
    );
    expect(other.effects).not.toContain('applyNoShowPenalty');
  });

  it('I-13: every path into completed stamps payment_released_at and, except the webhook, captures first', () => {
    const release = decided(decide('validated', facts(), event('release_payment', ACTORS.system)));
    expect(release.stamps).toEqual(['paymentReleasedAt']);
    expect(release.effects[0]).toBe('capturePayment');
    const resolved = decided(decide('disputed', facts(), event('resolve_for_mechanic', ACTORS.admin)));
    expect(resolved.effects[0]).toBe('capturePayment');
    expect(decided(decide('validated', facts(), event('payment_succeeded', ACTORS.system))).stamps).toEqual([
      'paymentReleasedAt',
    ]);
  });
});
