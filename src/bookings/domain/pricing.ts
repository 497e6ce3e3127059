import { type Cents, fromCents, toCents } from './money';

/** The configurable prices of bookings-payments §6 (decision D4), as the decimal strings of the env. */
export interface Tariff {
  baseInspectionPrice: string;
  obdSupplement: string;
  /** A decimal in [0, 1], e.g. "0.20". */
  commissionRate: string;
  travelFeePerKm: string;
}

export interface PricingInput {
  /** The unrounded geodesic distance, mechanic's city → meeting point (§3.1-7). */
  distanceKm: number;
  freeZoneKm: number;
  obdRequested: boolean;
}

/** The six stored pricing fields (decimal strings, as numeric columns hold them) and Stripe's cents. */
export interface BookingPrice {
  basePrice: string;
  travelFees: string;
  totalPrice: string;
  /** numeric(5,4): "0.2000". */
  commissionRate: string;
  commissionAmount: string;
  mechanicPayout: string;
  amountCents: Cents;
  /** The PaymentIntent's `application_fee_amount`. */
  commissionCents: Cents;
}

/** An exact decimal: `digits / 10^scale`. */
interface Decimal {
  digits: bigint;
  scale: number;
}

/** A non-negative decimal from its text, exponent notation included (`String(1e-7)` is "1e-7"). */
function decimal(text: string): Decimal {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match) throw new RangeError(`Not a non-negative decimal: '${text}'`);
  const [, units, fraction = '', exponent = '0'] = match;
  const scale = fraction.length - Number(exponent);
  const digits = BigInt(units + fraction);
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

/** `numerator / 10^scale` rounded half-up to an integer (`q2` of §6 when the numerator is in cents). */
function halfUp(numerator: bigint, scale: number): Cents {
  const divisor = 10n ** BigInt(scale);
  return Number((2n * numerator + divisor) / (2n * divisor));
}

/**
 * §6 (D4, the af4b6b7 formula; HEAD's Stripe-fee gross-up is not adopted, §12.2): all in exact
 * decimal arithmetic, half-up to the cent. The distance is a float: like the original's
 * `Decimal(str(billable_km))`, it enters the arithmetic through its shortest round-trip decimal text,
 * which is what JavaScript's `String(number)` gives.
 */
export function priceBooking(input: PricingInput, tariff: Tariff): BookingPrice {
  const billableKm = Math.max(0, input.distanceKm - input.freeZoneKm);
  const km = decimal(String(billableKm));
  const feePerKm = decimal(tariff.travelFeePerKm);
  // km × fee € = km × fee × 100 cents.
  const travelCents = halfUp(km.digits * feePerKm.digits * 100n, km.scale + feePerKm.scale);
  const baseCents =
    toCents(tariff.baseInspectionPrice) + (input.obdRequested ? toCents(tariff.obdSupplement) : 0);
  const totalCents = baseCents + travelCents;
  const rate = decimal(tariff.commissionRate);
  const commissionCents = halfUp(BigInt(totalCents) * rate.digits, rate.scale);
  return {
    basePrice: fromCents(baseCents),
    travelFees: fromCents(travelCents),
    totalPrice: fromCents(totalCents),
    commissionRate: formatRate(rate),
    commissionAmount: fromCents(commissionCents),
    mechanicPayout: fromCents(totalCents - commissionCents),
    amountCents: totalCents,
    commissionCents,
  };
}

/** The rate as numeric(5,4) stores it, half-up at the fourth decimal. */
function formatRate(rate: Decimal): string {
  const tenThousandths = halfUp(rate.digits * 10_000n, rate.scale);
  return `${Math.floor(tenThousandths / 10_000)}.${String(tenThousandths % 10_000).padStart(4, '0')}`;
}
