import { createBookingParties, insertBooking, type BookingParties } from '../support/booking-factories';
import { addDays, createSlot } from '../support/mechanic-factories';
import { useTestDataSource } from '../support/test-app-context';

const HMAC = 'a'.repeat(64);

/** The database refuses rows that break §10's invariants, whatever code writes them. */
describe('bookings constraints (bookings-payments §1.1, §10)', () => {
  const ctx = useTestDataSource();
  let parties: BookingParties;

  beforeAll(async () => {
    parties = await createBookingParties(ctx.dataSource);
  });

  const insert = (columns: Record<string, unknown>) =>
    insertBooking(ctx.dataSource, parties.buyer.id, parties.mechanic.profileId, columns);
  const rejects = (columns: Record<string, unknown>, constraint: string) =>
    expect(insert(columns)).rejects.toMatchObject({ driverError: expect.objectContaining({ constraint }) });

  it('I-1: one live booking per availability; cancelled ones do not count', async () => {
    const slotId = await createSlot(ctx.dataSource, parties.mechanic.profileId, {
      date: addDays('2026-03-02', 5),
    });
    await insert({ availability_id: slotId, status: 'cancelled', cancelled_at: new Date() });
    await insert({ availability_id: slotId, status: 'confirmed' });
    await rejects({ availability_id: slotId }, 'uq_bookings_live_availability');
  });

  it('I-9: one booking per PaymentIntent (N13.3)', async () => {
    await insert({ stripe_payment_intent_id: 'pi_unique_1' });
    await rejects({ stripe_payment_intent_id: 'pi_unique_1' }, 'uq_bookings_stripe_payment_intent_id');
  });

  it('I-12: payout + commission = total, total = base + travel', async () => {
    await rejects({ mechanic_payout: '33.00' }, 'ck_bookings_payout_integrity');
    await rejects({ travel_fees: '3.00' }, 'ck_bookings_total_integrity');
    await insert({
      base_price: '40.00',
      travel_fees: '6.00',
      total_price: '46.00',
      commission_amount: '9.20',
      mechanic_payout: '36.80',
    });
  });

  it('I-12: every amount is >= 0 and the commission rate is in [0, 1]', async () => {
    await rejects({ base_price: '-1.00', total_price: '-1.00' }, 'ck_booking_base_price_positive');
    await rejects({ travel_fees: '-1.00', base_price: '41.00' }, 'ck_booking_travel_fees_positive');
    await rejects(
      { commission_amount: '-1.00', mechanic_payout: '41.00' },
      'ck_booking_commission_amount_positive',
    );
    await rejects(
      { mechanic_payout: '-1.00', commission_amount: '41.00' },
      'ck_booking_mechanic_payout_positive',
    );
    await rejects({ commission_rate: '1.0001' }, 'ck_booking_commission_rate_range');
  });

  it('I-6: a refund is >= 0, never above the price, with a percentage in [0, 100]', async () => {
    const cancelled = { status: 'cancelled', cancelled_at: new Date(), cancelled_by: 'buyer' };
    await rejects(
      { ...cancelled, refund_percentage: 100, refund_amount: '40.01' },
      'ck_bookings_refund_within_price',
    );
    await rejects(
      { ...cancelled, refund_percentage: 0, refund_amount: '-0.01' },
      'ck_booking_refund_amount_positive',
    );
    await rejects(
      { ...cancelled, refund_percentage: 101, refund_amount: '40.00' },
      'ck_booking_refund_percentage_range',
    );
    await rejects({ ...cancelled, refund_percentage: 50 }, 'ck_bookings_refund_fields_together');
    await insert({ ...cancelled, refund_percentage: 100, refund_amount: '40.00' });
  });

  it('I-13: a completed booking has its payment released', async () => {
    await rejects({ status: 'completed' }, 'ck_bookings_completed_has_payment_released');
    await insert({ status: 'completed', payment_released_at: new Date() });
  });

  it('I-8: only an HMAC of the check-in code is stored, never the code; attempts are >= 0', async () => {
    await rejects(
      { status: 'awaiting_mechanic_code', check_in_code: '123456' },
      'ck_bookings_check_in_code_is_hmac',
    );
    await rejects({ check_in_code_attempts: -1 }, 'ck_bookings_check_in_code_attempts_positive');
    await insert({
      status: 'awaiting_mechanic_code',
      check_in_code: HMAC,
      check_in_code_generated_at: new Date(),
    });
  });

  it('I-2: the status is one of the nine states; a cancelled booking says when, and only it carries cancellation fields', async () => {
    await rejects({ status: 'refunded' }, 'ck_bookings_status_valid');
    await rejects({ status: 'cancelled' }, 'ck_bookings_cancelled_has_cancelled_at');
    await rejects(
      { status: 'confirmed', cancelled_by: 'buyer' },
      'ck_bookings_cancellation_fields_only_when_cancelled',
    );
    await rejects(
      { status: 'cancelled', cancelled_at: new Date(), cancelled_by: 'admin' },
      'ck_booking_cancelled_by_valid',
    );
    await rejects(
      { status: 'cancelled', cancelled_at: new Date(), refuse_reason: 'busy' },
      'ck_bookings_refuse_reason_valid',
    );
    await rejects(
      { status: 'cancelled', cancelled_at: new Date(), proposed_time: '2pm' },
      'ck_bookings_proposed_time_format',
    );
  });

  it('N13.25: a mechanic position is a pair of coordinates in range', async () => {
    await rejects({ status: 'confirmed', mechanic_lat: 43.6 }, 'ck_bookings_mechanic_position_pair');
    await rejects(
      { status: 'confirmed', mechanic_lat: 95, mechanic_lng: 1.4 },
      'ck_bookings_mechanic_lat_range',
    );
  });

  it('booking_transitions: known states and roles; people by id, the system without one', async () => {
    const bookingId = await insert({});
    const record = (role: string, actorId: string | null, to = 'confirmed') =>
      ctx.dataSource.query(
        `INSERT INTO booking_transitions (booking_id, from_status, to_status, event, actor_role, actor_id, machine_version, at)
         VALUES ($1, 'pending_acceptance', $2, 'accept', $3, $4, 1, now())`,
        [bookingId, to, role, actorId],
      );
    await expect(record('system', parties.buyer.id)).rejects.toThrow(/ck_booking_transitions_actor_id/);
    await expect(record('mechanic', null)).rejects.toThrow(/ck_booking_transitions_actor_id/);
    await expect(record('robot', parties.buyer.id)).rejects.toThrow(/ck_booking_transitions_actor_role/);
    await expect(record('system', null, 'paid')).rejects.toThrow(/ck_booking_transitions_to_valid/);
    await record('mechanic', parties.mechanic.id);
  });
});
