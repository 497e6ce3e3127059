/**
 * Money as integer cents (bookings-payments §0.5: never binary floats). Booking amounts come from
 * numeric(10,2) columns as decimal strings ("49.99") and go back the same way.
 */
export type Cents = number;

const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

export function toCents(amount: string): Cents {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new RangeError(`Not a non-negative amount with at most 2 decimals: '${amount}'`);
  const [, units, fraction = ''] = match;
  return Number(units) * 100 + Number(fraction.padEnd(2, '0'));
}

export function fromCents(cents: Cents): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`Not a cent amount: ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** `q2(cents × percentage / 100)` rounded half-up (§5.3), exact in integers. */
export function percentageOf(cents: Cents, percentage: number): Cents {
  return Math.floor((cents * percentage + 50) / 100);
}
