import { register } from 'prom-client';
import { type DataSource } from 'typeorm';
import { toCents } from '../../src/bookings/domain/money';
import { wallClock } from '../../src/common/clock/wall-clock';
import {
  type BookingColumns,
  type BookingParties,
  createBookingParties,
  insertBooking,
  insertBookings,
} from './booking-factories';
import { type FakeStripe } from './fake-stripe/fake-stripe';

/** The PaymentIntent states the booking scenarios start from (`PI` of the fixtures is `requires_capture`). */
export type IntentState =
  'requires_payment_method' | 'requires_capture' | 'succeeded' | 'canceled' | 'processing';

/** A manual-capture PaymentIntent of `amountCents` on the fake, brought to `state` as the app and Stripe would. */
export function paymentIntentOn(fake: FakeStripe, amountCents: number, state: IntentState): string {
  const o = fake.objects;
  const created = o.createPaymentIntent({
    amount: String(amountCents),
    currency: 'eur',
    capture_method: 'manual',
    ...(state === 'requires_payment_method' ? {} : { payment_method: 'pm_card_visa', confirm: 'true' }),
  });
  if (created.status !== 200)
    throw new Error(`The fake refused the PaymentIntent: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  if (state === 'succeeded') o.capturePaymentIntent(id, {});
  if (state === 'canceled') o.cancelPaymentIntent(id, {});
  if (state === 'processing') (o.paymentIntents.get(id) as Record<string, unknown>).status = 'processing';
  return id;
}

/**
 * `BK(status, PI)` of the acceptance fixtures: the parties' booking on their slot, with a
 * PaymentIntent for its total on the fake Stripe (authorised, and recorded as such, unless told).
 */
export async function insertPaidBooking(
  dataSource: DataSource,
  fake: FakeStripe,
  parties: BookingParties,
  columns: BookingColumns = {},
  state: IntentState = 'requires_capture',
): Promise<{ id: string; paymentIntentId: string }> {
  const paymentIntentId = paymentIntentOn(fake, toCents(String(columns.total_price ?? '40.00')), state);
  const authorised = state === 'requires_capture' || state === 'succeeded';
  const id = await insertBooking(dataSource, parties.buyer.id, parties.mechanic.profileId, {
    availability_id: parties.slotId,
    payment_authorized_at: authorised ? new Date('2026-03-01T12:00:00Z') : null,
    stripe_payment_intent_id: paymentIntentId,
    ...columns,
  });
  return { id, paymentIntentId };
}

/**
 * The release job's work (`kill -9` test, release benchmark): `count` bookings of one new pair of
 * parties, `validated` and due a minute ago, each with an authorised 40.00 PaymentIntent on the fake.
 */
export async function insertDueReleases(
  dataSource: DataSource,
  fake: FakeStripe,
  count: number,
): Promise<BookingParties> {
  const parties = await createBookingParties(dataSource);
  const dueAt = new Date(Date.now() - 60_000);
  await insertBookings(
    dataSource,
    parties.buyer.id,
    parties.mechanic.profileId,
    Array.from({ length: count }, () => ({
      status: 'validated',
      availability_id: null,
      payment_authorized_at: dueAt,
      release_due_at: dueAt,
      stripe_payment_intent_id: paymentIntentOn(fake, 4_000, 'requires_capture'),
    })),
  );
  return parties;
}

/** `slot@X`: the slot moved so that it starts at instant X, written in the slots' time zone (D3). */
export async function moveSlotTo(
  dataSource: DataSource,
  slotId: string,
  startsAt: Date,
  timeZone = 'Europe/Paris',
) {
  const start = wallClock(startsAt, timeZone);
  const end = wallClock(new Date(startsAt.getTime() + 30 * 60_000), timeZone);
  await dataSource.query(
    'UPDATE availabilities SET date = $2, start_time = $3, end_time = $4 WHERE id = $1',
    [slotId, start.date, start.time, end.time < start.time ? '23:59:59' : end.time],
  );
}

/** The booking's row as stored, every column. */
export async function bookingRow(
  dataSource: DataSource,
  bookingId: string,
): Promise<Record<string, unknown>> {
  const [row]: Record<string, unknown>[] = await dataSource.query('SELECT * FROM bookings WHERE id = $1', [
    bookingId,
  ]);
  return row;
}

/** The `data` of the user's in-app notifications of `type`. */
export function notificationData(
  dataSource: DataSource,
  userId: string,
  type: string,
): Promise<{ data: Record<string, unknown> }[]> {
  return dataSource.query('SELECT data FROM notifications WHERE user_id = $1 AND type = $2', [userId, type]);
}

export async function slotIsBooked(dataSource: DataSource, slotId: string): Promise<boolean> {
  const [row]: { is_booked: boolean }[] = await dataSource.query(
    'SELECT is_booked FROM availabilities WHERE id = $1',
    [slotId],
  );
  return row.is_booked;
}

/** The value of a counter of the shared Prometheus registry, for before/after comparisons. */
export async function counterValue(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = register.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}
