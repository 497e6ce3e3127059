import { type Cents, percentageOf } from './money';

const HOUR_MS = 3_600_000;

/** §5.2 thresholds (CANCELLATION_FULL_REFUND_HOURS, CANCELLATION_PARTIAL_REFUND_HOURS). */
export interface RefundThresholds {
  fullRefundHours: number;
  partialRefundHours: number;
}

export const DEFAULT_REFUND_THRESHOLDS: RefundThresholds = { fullRefundHours: 24, partialRefundHours: 12 };

export type RefundPercentage = 0 | 50 | 100;

/**
 * The buyer's band of §5.2, from the time left before the slot starts (null: the slot is gone, so
 * 100 %). Strictly "greater than": exactly 24 h is 50 %, exactly 12 h is 0 % (CAN-06).
 */
export function buyerRefundPercentage(
  msUntilSlotStart: number | null,
  thresholds: RefundThresholds = DEFAULT_REFUND_THRESHOLDS,
): RefundPercentage {
  if (msUntilSlotStart === null) return 100;
  if (msUntilSlotStart > thresholds.fullRefundHours * HOUR_MS) return 100;
  if (msUntilSlotStart > thresholds.partialRefundHours * HOUR_MS) return 50;
  return 0;
}

export interface Refund {
  percentage: RefundPercentage;
  amountCents: Cents;
}

/** §5.3 [H-005]: `refund_amount = q2(total × pct / 100)`. */
export function refundOf(totalCents: Cents, percentage: RefundPercentage): Refund {
  return { percentage, amountCents: percentageOf(totalCents, percentage) };
}
