import { type BookingEventType } from './booking-events';
import { type BookingEffect } from './booking-effects';
import { type GuardName } from './booking-guards';
import { type BookingStatus } from './booking-status';

/** The machine's state before the row exists: only `create` leaves it. Never stored. */
export const NEW_BOOKING = 'new';
export type MachineState = BookingStatus | typeof NEW_BOOKING;

export interface TransitionRule {
  target: BookingStatus;
  /** All must pass, in this order: who, then the preconditions, then the branch. */
  guards: readonly GuardName[];
  effects: readonly BookingEffect[];
}

const NOTHING_TO_REFUND = ['releaseSlot', 'clearMechanicLocation', 'countBookingCancelled'] as const;
const FULL_CANCEL = [
  'cancelPaymentInFull',
  'releaseSlot',
  'clearMechanicLocation',
  'notifyOtherPartyCancelled',
  'countBookingCancelled',
  'countPaymentRefunded',
] as const;

/** T4 (§3.4, §5): one transition per refund band; the mechanic always refunds in full. */
const CANCEL: TransitionRule[] = [
  { target: 'cancelled', guards: ['mechanicOwner', 'refundWithinPrice'], effects: FULL_CANCEL },
  { target: 'cancelled', guards: ['buyerOwner', 'refundWithinPrice', 'fullRefund'], effects: FULL_CANCEL },
  {
    target: 'cancelled',
    guards: ['buyerOwner', 'refundWithinPrice', 'halfRefund'],
    effects: [
      'refundHalfToBuyer',
      'releaseSlot',
      'clearMechanicLocation',
      'notifyOtherPartyCancelled',
      'countBookingCancelled',
      'countPaymentRefunded',
      'countPaymentCaptured',
    ],
  },
  {
    target: 'cancelled',
    guards: ['buyerOwner', 'refundWithinPrice', 'noRefund'],
    effects: [
      'captureForMechanic',
      'releaseSlot',
      'clearMechanicLocation',
      'notifyOtherPartyCancelled',
      'countBookingCancelled',
      'countPaymentCaptured',
    ],
  },
];

/** Admin suspension (§12.3, adopted with the missing fields filled in). */
const SUSPEND: TransitionRule = {
  target: 'cancelled',
  guards: ['admin'],
  effects: [
    'cancelPaymentInFull',
    'releaseSlot',
    'clearMechanicLocation',
    'notifyBuyerCancelled',
    'countBookingCancelled',
    'countPaymentRefunded',
  ],
};

/** T6/T7: Stripe says the money is gone; nothing to refund, nobody notified (§4.8). */
const PAYMENT_LOST: TransitionRule = { target: 'cancelled', guards: ['system'], effects: NOTHING_TO_REFUND };

const STRIPE_DISPUTE: TransitionRule = {
  target: 'disputed',
  guards: ['system', 'noDispute'],
  effects: ['openDispute', 'countDisputeOpened'],
};

const BUYER_DISPUTE: TransitionRule = {
  target: 'disputed',
  guards: ['verifiedBuyerOwner', 'noDispute'],
  effects: ['openDispute', 'notifyMechanicDisputed', 'countDisputeOpened'],
};

const CHECK_IN: TransitionRule = {
  target: 'awaiting_mechanic_code',
  guards: ['verifiedBuyerOwner', 'hasSlot', 'withinCheckInWindow'],
  effects: ['issueCheckInCode'],
};

/**
 * bookings-payments §2.2–§2.3: every allowed (state, event) pair, with its guards and effects.
 * A pair that is not here is a 409; terminal states accept nothing.
 */
export const TRANSITIONS: Record<MachineState, Partial<Record<BookingEventType, TransitionRule[]>>> = {
  new: {
    create: [
      {
        target: 'pending_acceptance',
        guards: ['verifiedBuyerOwner'],
        effects: ['authorizePayment', 'consumeSlot', 'notifyMechanicBookingCreated', 'countBookingCreated'],
      },
    ],
  },
  pending_acceptance: {
    accept: [
      {
        target: 'confirmed',
        guards: ['mechanicOwner', 'hasPaymentIntent', 'paymentAuthorized'],
        effects: ['notifyBuyerConfirmed'],
      },
    ],
    refuse: [
      {
        target: 'cancelled',
        guards: ['mechanicOwner'],
        effects: [
          'cancelPaymentInFull',
          'releaseSlot',
          'clearMechanicLocation',
          'notifyBuyerRefused',
          'countBookingCancelled',
          'countPaymentRefunded',
        ],
      },
    ],
    cancel: CANCEL,
    payment_failed: [PAYMENT_LOST],
    payment_canceled: [PAYMENT_LOST],
    expire_pending: [
      {
        target: 'cancelled',
        guards: ['system', 'acceptanceOverdue'],
        effects: [
          'cancelPaymentInFull',
          'releaseSlot',
          'clearMechanicLocation',
          'notifyBuyerCancelled',
          'countBookingCancelled',
          'countPaymentRefunded',
        ],
      },
    ],
    suspend_mechanic: [SUSPEND],
    close_account: [
      {
        target: 'cancelled',
        guards: ['participant'],
        effects: ['cancelPaymentBestEffort', ...NOTHING_TO_REFUND],
      },
    ],
  },
  confirmed: {
    cancel: CANCEL,
    check_in: [CHECK_IN],
    report_no_show: [
      {
        target: 'disputed',
        guards: ['verifiedBuyerOwner', 'hasSlot', 'withinCheckInWindow', 'noDispute'],
        effects: ['openDispute', 'notifyMechanicNoShow', 'countDisputeOpened'],
      },
    ],
    payment_canceled: [PAYMENT_LOST],
    stripe_dispute_opened: [STRIPE_DISPUTE],
    suspend_mechanic: [SUSPEND],
  },
  awaiting_mechanic_code: {
    cancel: CANCEL,
    // T8b [FIX → N13.7]: a fresh code replaces the old one.
    check_in: [CHECK_IN],
    enter_code: [
      {
        target: 'check_in_done',
        guards: ['mechanicOwner', 'codeNotExpired', 'attemptsLeft', 'codeMatches'],
        effects: [],
      },
    ],
  },
  check_in_done: {
    cancel: CANCEL,
    check_out: [
      {
        target: 'check_out_done',
        guards: ['mechanicOwner'],
        effects: ['storeInspectionReport', 'clearMechanicLocation', 'notifyBuyerReportReady'],
      },
    ],
    dispute: [BUYER_DISPUTE],
    stripe_dispute_opened: [STRIPE_DISPUTE],
  },
  check_out_done: {
    validate: [{ target: 'validated', guards: ['verifiedBuyerOwner'], effects: ['schedulePaymentRelease'] }],
    dispute: [BUYER_DISPUTE],
    stripe_dispute_opened: [STRIPE_DISPUTE],
  },
  validated: {
    release_payment: [
      {
        target: 'completed',
        guards: ['system'],
        effects: ['capturePayment', 'countPaymentCaptured', 'countBookingCompleted'],
      },
    ],
    // The capture happened elsewhere; the same counters as the job ([REC] §4.8).
    payment_succeeded: [
      { target: 'completed', guards: ['system'], effects: ['countPaymentCaptured', 'countBookingCompleted'] },
    ],
  },
  disputed: {
    resolve_for_buyer: [
      {
        target: 'cancelled',
        guards: ['admin', 'noShowDispute'],
        effects: [
          'cancelPaymentInFull',
          'resolveDispute',
          'applyNoShowPenalty',
          'writeAuditLog',
          'notifyPartiesDisputeResolved',
          'countBookingCancelled',
          'countPaymentRefunded',
        ],
      },
      {
        target: 'cancelled',
        guards: ['admin'],
        effects: [
          'cancelPaymentInFull',
          'resolveDispute',
          'writeAuditLog',
          'notifyPartiesDisputeResolved',
          'countBookingCancelled',
          'countPaymentRefunded',
        ],
      },
    ],
    resolve_for_mechanic: [
      {
        target: 'completed',
        guards: ['admin'],
        effects: [
          'capturePayment',
          'resolveDispute',
          'writeAuditLog',
          'notifyPartiesDisputeResolved',
          'countPaymentCaptured',
          'countBookingCompleted',
        ],
      },
    ],
  },
  completed: {},
  cancelled: {},
};
