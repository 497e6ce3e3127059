import { type DataSource } from 'typeorm';
import { toCents } from '../../src/bookings/domain/money';
import { type FakeStripe } from './fake-stripe/fake-stripe';

interface BookingMoney {
  status: string;
  total_price: string;
  commission_amount: string;
  mechanic_payout: string;
  refund_percentage: number | null;
  refund_amount: string | null;
  payment_released_at: Date | null;
  stripe_payment_intent_id: string | null;
}

const HOLDING = ['requires_capture'];
const OPEN = ['requires_payment_method', 'requires_confirmation', 'requires_action', 'requires_capture'];

/**
 * Issue 7 item 5: the booking's state and amounts against its PaymentIntent in the fake Stripe,
 * after any transition. What the buyer was really charged (captured − refunded) must be what the
 * booking says: nothing while it is live, the whole price once completed, and for a cancellation
 * `total − refund_amount` (D8), with no hold left behind. I-6 and I-12 are checked on the way.
 */
export function moneyConsistency(dataSource: DataSource, fake: FakeStripe) {
  return async function assertMoneyConsistent(bookingId: string): Promise<void> {
    const [booking]: BookingMoney[] = await dataSource.query(
      `SELECT status, total_price, commission_amount, mechanic_payout, refund_percentage, refund_amount,
              payment_released_at, stripe_payment_intent_id
         FROM bookings WHERE id = $1`,
      [bookingId],
    );
    const total = toCents(booking.total_price);
    const where = `booking ${bookingId} (${booking.status})`;
    // I-12 and I-6.
    expect({ where, split: toCents(booking.mechanic_payout) + toCents(booking.commission_amount) }).toEqual({
      where,
      split: total,
    });
    if (booking.refund_amount !== null) expect(toCents(booking.refund_amount)).toBeLessThanOrEqual(total);
    if (booking.stripe_payment_intent_id === null) return;

    const intent = fake.objects.paymentIntents.get(booking.stripe_payment_intent_id);
    if (!intent)
      throw new Error(`${where}: PaymentIntent ${booking.stripe_payment_intent_id} unknown to the fake`);
    expect({ where, amount: intent.amount }).toEqual({ where, amount: total });
    if (intent.transfer_data)
      expect({ where, fee: intent.application_fee_amount }).toEqual({
        where,
        fee: toCents(booking.commission_amount),
      });
    const charge = intent.latest_charge
      ? fake.objects.charges.get(intent.latest_charge as string)
      : undefined;
    const charged = charge ? (charge.amount_captured as number) - (charge.amount_refunded as number) : 0;
    const state = { where, intent: intent.status as string, charged };

    switch (booking.status) {
      case 'completed':
        expect(state).toEqual({ where, intent: 'succeeded', charged: total });
        expect(booking.payment_released_at).not.toBeNull();
        return;
      case 'cancelled':
        // A cancelled booking holds nothing: released, captured for good, or never authorised.
        expect(HOLDING).not.toContain(state.intent);
        if (booking.refund_amount !== null)
          expect(state).toEqual({
            where,
            intent: state.intent,
            charged: total - toCents(booking.refund_amount),
          });
        else expect(state).toEqual({ where, intent: state.intent, charged: 0 });
        if (booking.payment_released_at !== null) expect(charged).toBeGreaterThan(0);
        return;
      default:
        // Live: the hold may exist, nothing is taken yet.
        expect(OPEN).toContain(state.intent);
        expect(state).toEqual({ where, intent: state.intent, charged: 0 });
    }
  };
}
