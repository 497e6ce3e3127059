import { fromCents, toCents } from '../../bookings/domain/money';
import { type ReceiptInput } from '../pdf/receipt.pdf';

/** The stored amounts a receipt is built from (numeric(10,2) decimal strings). */
export interface BookedAmounts {
  obdRequested: boolean;
  basePrice: string;
  travelFees: string;
  totalPrice: string;
}

/**
 * The receipt's price lines, in integer cents (§9-19). Since pricing §6 (D4) folds the OBD supplement
 * into `base_price`, the original's "OBD = total − base − travel" was always 0.00; here the supplement
 * is split out of `base_price`, so the lines still add up to `total_price` (= base + travel, a CHECK).
 * The booking does not record the supplement it was priced with, so the configured one is used,
 * capped at `base_price` so that a booking priced under a cheaper tariff never shows a negative line.
 */
export function receiptPrices(amounts: BookedAmounts, obdSupplement: string): ReceiptInput['prices'] {
  const baseCents = toCents(amounts.basePrice);
  const obdCents = amounts.obdRequested ? Math.min(toCents(obdSupplement), baseCents) : null;
  return {
    base: fromCents(baseCents - (obdCents ?? 0)),
    obdSupplement: obdCents === null ? null : fromCents(obdCents),
    travelFees: fromCents(toCents(amounts.travelFees)),
    total: fromCents(toCents(amounts.totalPrice)),
  };
}
