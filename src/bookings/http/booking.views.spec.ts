import { type BookingEntity } from '../persistence/booking.entity';
import { bookingView } from './booking.views';

const booking = {
  id: 'b',
  buyerId: 'u',
  mechanicId: 'm',
  availabilityId: 'a',
  status: 'confirmed',
  vehicleType: 'car',
  vehicleBrand: 'Peugeot',
  vehicleModel: '308',
  vehicleYear: 2019,
  vehiclePlate: 'AB-123-CD',
  meetingAddress: '1 place du Capitole',
  meetingLat: 43.6,
  meetingLng: 1.44,
  distanceKm: 4.2,
  obdRequested: false,
  basePrice: '40.00',
  travelFees: '0.00',
  totalPrice: '40.00',
  commissionRate: '0.2000',
  commissionAmount: '8.00',
  mechanicPayout: '32.00',
  stripePaymentIntentId: 'pi_secret',
  checkInCode: 'f'.repeat(64),
  createdAt: new Date('2026-03-02T10:00:00.000Z'),
  checkInAt: null,
  checkOutAt: null,
  paymentReleasedAt: null,
  confirmedAt: new Date('2026-03-02T11:00:00.000Z'),
  cancelledAt: null,
  cancelledBy: null,
  refundPercentage: null,
  refundAmount: null,
  mechanicLat: 43.7,
  mechanicLng: 1.5,
} as unknown as BookingEntity;

describe('booking views (bookings-payments §3.0.1)', () => {
  it.each([
    ['admin', ['total_price', 'commission_amount', 'mechanic_payout'], []],
    ['buyer', ['total_price'], ['commission_amount', 'mechanic_payout']],
    ['mechanic', ['mechanic_payout'], ['total_price', 'commission_amount']],
  ] as const)('the %s view shows %j and hides %j', (viewer, shown, hidden) => {
    const view = bookingView(booking, viewer);

    for (const field of shown) expect(view).toHaveProperty(field);
    for (const field of hidden) expect(view).not.toHaveProperty(field);
  });

  it('never exposes coordinates, the commission rate, the PaymentIntent, the code or the mechanic GPS', () => {
    for (const viewer of ['admin', 'buyer', 'mechanic'] as const) {
      const view = bookingView(booking, viewer);
      for (const secret of [
        'meeting_lat',
        'commission_rate',
        'stripe_payment_intent_id',
        'check_in_code',
        'mechanic_lat',
      ]) {
        expect(view).not.toHaveProperty(secret);
      }
      expect(JSON.stringify(view)).not.toContain('pi_secret');
    }
  });

  it('keeps money as decimal strings and timestamps as ISO-8601 UTC', () => {
    const view = bookingView(booking, 'admin');

    expect(view.total_price).toBe('40.00');
    expect(view.confirmed_at).toBe('2026-03-02T11:00:00.000Z');
    expect(view.distance_km).toBe(4.2);
  });
});
