import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { type Counter } from 'prom-client';
import { type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { METRIC } from '../../observability/metrics/metrics';
import { type StripeEvent, stringField } from '../../payments/domain/stripe-event';
import { HandlesStripeEvents, type StripeEventHandler } from '../../payments/webhooks/stripe-event-handlers';
import { BookingTransitionRunner } from '../commands/transitions/booking-transition.runner';
import { type DisputeReason } from '../domain/booking-status';
import { bookingOfPaymentIntent } from '../persistence/booking-of-payment-intent';
import { lockBooking } from '../persistence/booking.locks';
import { closeStripeDispute, disputeReasonOf, insertDispute } from '../persistence/dispute-cases';

/** §4.8: Stripe's dispute reasons, in ours. */
const REASON_OF: Readonly<Record<string, DisputeReason>> = {
  product_not_received: 'no_show',
  product_unacceptable: 'wrong_info',
};

/** §12.5 (adopted): the note a chargeback's outcome leaves on the local dispute. */
const CLOSING_NOTE: Readonly<Record<string, string>> = {
  won: 'Dispute won — funds returned to platform',
  lost: 'Dispute lost — funds withdrawn by cardholder',
};

/**
 * A chargeback (§4.8, §12.5). `created` opens the booking's dispute, once: a redelivery under a new
 * event id finds it and changes nothing. Where the machine allows `→ disputed` (confirmed, check-in
 * or check-out done) the booking moves there, so an admin can resolve it (N13.23); elsewhere,
 * typically `completed`, the dispute is recorded and the booking left as it is. `closed` and the
 * funds events close an open dispute once Stripe says won or lost.
 */
@Injectable()
@HandlesStripeEvents(
  'charge.dispute.created',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
)
export class ChargeDisputeEventsHandler implements StripeEventHandler {
  private readonly logger = new Logger('StripeWebhook');

  constructor(
    private readonly transitions: BookingTransitionRunner,
    private readonly clock: Clock,
    @InjectMetric(METRIC.disputesOpened) private readonly disputesOpened: Counter<string>,
  ) {}

  async handle(manager: EntityManager, event: StripeEvent): Promise<void> {
    const object = event.data.object;
    const paymentIntentId = stringField(object, 'payment_intent');
    const bookingId = paymentIntentId ? await bookingOfPaymentIntent(manager, paymentIntentId) : null;
    const log = { event_id: event.id, event_type: event.type, booking_id: bookingId };
    if (!bookingId) {
      this.logger.log({ event: 'stripe_event_without_booking', ...log });
      return;
    }
    if (event.type === 'charge.dispute.created') await this.open(manager, bookingId, object, log);
    else await this.close(manager, bookingId, stringField(object, 'status'), log);
  }

  private async open(
    manager: EntityManager,
    bookingId: string,
    object: StripeEvent['data']['object'],
    log: Record<string, unknown>,
  ): Promise<void> {
    const booking = await lockBooking(manager, bookingId);
    if ((await disputeReasonOf(manager, bookingId)) !== null) {
      this.logger.log({ event: 'stripe_dispute_already_recorded', ...log });
      return;
    }
    const stripeReason = stringField(object, 'reason') ?? 'unknown';
    const reason = REASON_OF[stripeReason] ?? 'other';
    const description = `Auto-created from Stripe dispute ${stringField(object, 'id') ?? 'unknown'}: ${stripeReason}`;
    const result = await this.transitions.apply(manager, booking, {
      type: 'stripe_dispute_opened',
      actor: { role: 'system' },
      reason,
      description,
    });
    if (!result.ok)
      await insertDispute(manager, {
        bookingId,
        openedBy: booking.buyerId,
        reason,
        description,
        photoUrls: null,
        createdAt: this.clock.now(),
      });
    this.logger.log({
      event: 'stripe_dispute_recorded',
      ...log,
      status: result.ok ? result.booking.status : booking.status,
    });
    // The webhook's transaction commits right after the handlers: these are its last writes.
    if (result.ok) this.transitions.count(result);
    else this.disputesOpened.inc({ reason });
  }

  private async close(
    manager: EntityManager,
    bookingId: string,
    stripeStatus: string | null,
    log: Record<string, unknown>,
  ): Promise<void> {
    const note = stripeStatus ? CLOSING_NOTE[stripeStatus] : undefined;
    if (!note) return;
    const closed = await closeStripeDispute(manager, { bookingId, note, at: this.clock.now() });
    this.logger.log({
      event: closed ? 'stripe_dispute_closed' : 'stripe_dispute_not_open',
      ...log,
      stripe_status: stripeStatus,
    });
  }
}
