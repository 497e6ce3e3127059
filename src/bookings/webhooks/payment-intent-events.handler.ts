import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { type StripeEvent, stringField } from '../../payments/domain/stripe-event';
import { HandlesStripeEvents, type StripeEventHandler } from '../../payments/webhooks/stripe-event-handlers';
import { lockBooking } from '../persistence/booking.locks';
import { bookingOfPaymentIntent } from '../persistence/booking-of-payment-intent';
import { BookingTransitionRunner } from '../commands/transitions/booking-transition.runner';

/** §4.8: the PaymentIntent events that move a booking, and the machine event each one is. */
const TRANSITION_OF: Record<string, 'payment_succeeded' | 'payment_failed' | 'payment_canceled'> = {
  'payment_intent.succeeded': 'payment_succeeded',
  'payment_intent.payment_failed': 'payment_failed',
  'payment_intent.canceled': 'payment_canceled',
};

/**
 * §4.8 with N13.21 [REC]: the booking of the PaymentIntent is locked (the same helper and timeout
 * as the endpoints) and the machine decides on its current state, so a webhook never overwrites a
 * newer state (I-3): a refusal is logged and the event acknowledged. A lock held past the timeout
 * fails the event, which Stripe redelivers, rather than skipping it as the original's SKIP LOCKED
 * did for `succeeded`. No call leaves the database here: a cancelled-at-Stripe payment has nothing
 * left to release.
 */
@Injectable()
@HandlesStripeEvents(
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.amount_capturable_updated',
)
export class PaymentIntentEventsHandler implements StripeEventHandler {
  private readonly logger = new Logger('StripeWebhook');

  constructor(
    private readonly transitions: BookingTransitionRunner,
    private readonly clock: Clock,
  ) {}

  async handle(manager: EntityManager, event: StripeEvent): Promise<void> {
    const paymentIntentId = stringField(event.data.object, 'id');
    const bookingId = paymentIntentId ? await bookingOfPaymentIntent(manager, paymentIntentId) : null;
    if (!bookingId) {
      this.logger.log({ event: 'stripe_event_without_booking', event_id: event.id, event_type: event.type });
      return;
    }
    if (event.type === 'payment_intent.amount_capturable_updated') {
      await recordAuthorization(manager, bookingId, this.clock.now());
      return;
    }
    const booking = await lockBooking(manager, bookingId);
    const result = await this.transitions.apply(manager, booking, {
      type: TRANSITION_OF[event.type],
      actor: { role: 'system' },
    });
    this.logger.log({
      event: result.ok ? 'booking_moved_by_stripe' : 'stripe_event_ignored',
      event_id: event.id,
      event_type: event.type,
      booking_id: bookingId,
      status: result.ok ? result.booking.status : booking.status,
    });
    // The webhook's transaction commits right after the handlers; this is the last write of it.
    if (result.ok) this.transitions.count(result);
  }
}

/**
 * N13.15 [REC]: the buyer's card is authorised; `accept` requires it. Not a status change (PAY-12),
 * and the first sighting wins, so a redelivered event leaves the time as it was.
 */
async function recordAuthorization(manager: EntityManager, bookingId: string, at: Date): Promise<void> {
  await manager.query(
    'UPDATE bookings SET payment_authorized_at = $2 WHERE id = $1 AND payment_authorized_at IS NULL',
    [bookingId, at],
  );
}
