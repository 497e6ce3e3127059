import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { DeliveryQueue } from '../../../delivery/delivery-queue';
import { DerivedKeys, type IdempotencyKey, IdempotencyKeys } from '../../../payments/domain/idempotency-keys';
import { paymentFailed } from '../../../payments/domain/payment-errors';
import { isPaymentFailure, PaymentGateway } from '../../../payments/domain/payment-gateway';
import { DomainError } from '../../../common/errors/domain-error';
import { PAYMENT_EFFECTS, type PaymentEffect } from '../../domain/booking-effects';
import { type BookingEvent } from '../../domain/booking-events';
import { type BookingDecision } from '../../domain/booking.machine';
import { toCents } from '../../domain/money';
import { type BookingEntity } from '../../persistence/booking.entity';

/** What the money really did, which the booking then records (D8: the refund is what the buyer gets back). */
export interface Settlement {
  /** The transition asked for a payment effect; without one, the decision's counters stand as they are. */
  readonly moved: boolean;
  readonly captured: boolean;
  /** Money went back to the buyer: a hold released or a refund. */
  readonly returned: boolean;
  /**
   * Nothing was ever captured (the hold had lapsed, or the card was never authorised): the buyer
   * keeps everything, whatever the band said, and the mechanic was not paid.
   */
  readonly buyerKeepsAll: boolean;
}

const NO_PAYMENT: Settlement = { moved: false, captured: false, returned: false, buyerKeepsAll: false };
const settled = (captured: boolean, returned: boolean): Settlement => ({
  moved: true,
  captured,
  returned,
  buyerKeepsAll: false,
});
const NOTHING_TAKEN: Settlement = { moved: true, captured: false, returned: true, buyerKeepsAll: true };

/** identity §2.1-14 step 3: the account's pending holds, released after the deletion commits. */
export const RELEASE_HOLD_QUEUE = 'booking_release_hold';

interface ReleaseHoldJob {
  bookingId: string;
  paymentIntentId: string;
}

const PAYMENT = new Set<string>(PAYMENT_EFFECTS);

/**
 * The payment effect of a booking transition (§4.3–§4.5, §5.2), with the §4.6 key of its event, made
 * inside the locked transaction before the transition is recorded: a failure throws the generic
 * H-022 error, so the transaction rolls back and the booking keeps its state.
 */
@Injectable()
export class BookingPayments implements OnModuleInit {
  private readonly logger = new Logger('Bookings');

  constructor(
    private readonly gateway: PaymentGateway,
    private readonly queue: DeliveryQueue,
  ) {}

  onModuleInit(): void {
    this.queue.register<ReleaseHoldJob>(RELEASE_HOLD_QUEUE, (job) => this.releaseHold(job), {
      retryLimit: 5,
    });
  }

  async settle(
    manager: EntityManager,
    booking: BookingEntity,
    decision: BookingDecision,
    event: BookingEvent,
  ): Promise<Settlement> {
    const effect = decision.effects.find((name): name is PaymentEffect => PAYMENT.has(name));
    // decide() drops payment effects for a booking without a PaymentIntent.
    const paymentIntentId = booking.stripePaymentIntentId;
    if (!effect || paymentIntentId === null) return NO_PAYMENT;
    const reference = { bookingId: booking.id };
    switch (effect) {
      case 'cancelPaymentInFull': {
        const outcome = await this.gateway.cancelOrRefundInFull(
          paymentIntentId,
          fullCancelKey(event, booking.id),
          reference,
        );
        if (isPaymentFailure(outcome)) throw paymentFailed();
        return settled(false, outcome.status === 'canceled' || outcome.status === 'refunded');
      }
      case 'refundHalfToBuyer': {
        const refundCents = toCents(decision.columns.refundAmount ?? '0');
        const outcome = await this.gateway.refundPartially(
          paymentIntentId,
          refundCents,
          IdempotencyKeys.partialRefund(booking.id, 50),
          reference,
        );
        if (isPaymentFailure(outcome)) throw paymentFailed();
        if (outcome.status === 'canceled') return NOTHING_TAKEN;
        return settled(outcome.status === 'partially_captured', true);
      }
      case 'captureForMechanic':
        return this.captureForMechanic(paymentIntentId, booking.id);
      case 'cancelPaymentBestEffort':
        await this.queue.enqueue<ReleaseHoldJob>(manager, RELEASE_HOLD_QUEUE, {
          bookingId: booking.id,
          paymentIntentId,
        });
        return settled(false, false);
      case 'capturePayment':
        return this.capture(paymentIntentId, captureKey(event, booking.id), reference);
      case 'authorizePayment':
        throw new Error(`${effect} belongs to its own command, not to ${decision.event}`);
    }
  }

  /**
   * §5.2 [FIX → N13.9]: the 0 % band pays the mechanic. A hold that cannot be captured (lapsed, or
   * never authorised) pays nobody: it is closed, so it can no longer be confirmed for a dead booking.
   */
  private async captureForMechanic(paymentIntentId: string, bookingId: string): Promise<Settlement> {
    const key = IdempotencyKeys.lateCancelCapture(bookingId);
    const reference = { bookingId };
    const outcome = await this.gateway.capture(paymentIntentId, key, reference);
    if (isPaymentFailure(outcome)) throw paymentFailed();
    if (outcome.status !== 'not_capturable') return settled(outcome.status === 'captured', false);
    const closed = await this.gateway.cancelOrRefundInFull(
      paymentIntentId,
      DerivedKeys.cancel(key),
      reference,
    );
    if (isPaymentFailure(closed)) throw paymentFailed();
    return NOTHING_TAKEN;
  }

  /**
   * §4.5 [FIX → N13.15], I-13: the booking completes only on money really captured (now, or
   * before: `already_captured`). A PaymentIntent that cannot be captured any more fails the
   * transition, which rolls back and leaves the booking as it was.
   */
  private async capture(
    paymentIntentId: string,
    key: IdempotencyKey,
    reference: { bookingId: string },
  ): Promise<Settlement> {
    const outcome = await this.gateway.capture(paymentIntentId, key, reference);
    if (isPaymentFailure(outcome)) throw paymentFailed();
    if (outcome.status === 'not_capturable') {
      this.logger.warn({
        event: 'payment_not_capturable',
        booking_id: reference.bookingId,
        payment_intent_status: outcome.paymentIntentStatus,
      });
      throw new DomainError('payment_not_capturable', NOT_CAPTURABLE_MESSAGE);
    }
    return settled(outcome.status === 'captured', false);
  }

  /** Best effort (AUTH-20): a failure is logged and retried by the queue; the deletion has committed. */
  private async releaseHold({ bookingId, paymentIntentId }: ReleaseHoldJob): Promise<void> {
    const outcome = await this.gateway.cancelOrRefundInFull(
      paymentIntentId,
      IdempotencyKeys.cancel(bookingId),
      { bookingId },
    );
    if (isPaymentFailure(outcome)) {
      this.logger.warn({ event: 'stripe_cancel_failed_on_account_deletion', booking_id: bookingId });
      throw new Error(`Releasing the hold of booking ${bookingId} failed (${outcome.reason})`);
    }
  }
}

/** N13.15: the hold lapsed or was released; only a resolution for the buyer can end the booking now. */
export const NOT_CAPTURABLE_MESSAGE =
  'The payment can no longer be captured (the card authorisation is not valid any more).';

/** §4.6 (C-004, D7): one stable key per logical operation, never a timestamp. */
function fullCancelKey(event: BookingEvent, bookingId: string): IdempotencyKey {
  switch (event.type) {
    case 'resolve_for_buyer':
      return IdempotencyKeys.disputeResolvedForBuyer(event.disputeId);
    case 'refuse':
      return IdempotencyKeys.refuse(bookingId);
    case 'cancel':
      return IdempotencyKeys.cancel(bookingId);
    case 'expire_pending':
      return IdempotencyKeys.pendingExpiry(bookingId);
    default:
      throw new Error(`No cancellation key for the ${event.type} event here yet`);
  }
}

/** §4.6 (D6, D7): the capture that pays the mechanic, keyed by what decided it. */
function captureKey(event: BookingEvent, bookingId: string): IdempotencyKey {
  switch (event.type) {
    case 'release_payment':
      return IdempotencyKeys.release(bookingId);
    case 'resolve_for_mechanic':
      return IdempotencyKeys.disputeResolvedForMechanic(event.disputeId);
    default:
      throw new Error(`No capture key for the ${event.type} event of booking ${bookingId} here yet`);
  }
}
