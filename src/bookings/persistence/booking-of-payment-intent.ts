import { type EntityManager } from 'typeorm';

/** The booking a Stripe object names by its PaymentIntent (one per booking, I-9), or null. */
export async function bookingOfPaymentIntent(
  manager: EntityManager,
  paymentIntentId: string,
): Promise<string | null> {
  const rows: { id: string }[] = await manager.query(
    'SELECT id FROM bookings WHERE stripe_payment_intent_id = $1',
    [paymentIntentId],
  );
  return rows[0]?.id ?? null;
}
