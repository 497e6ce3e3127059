import { Inject, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { type Counter } from 'prom-client';
import { type EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { NOTIFICATIONS } from '../../../notifications/domain/notification-catalogue';
import { NotificationService } from '../../../notifications/domain/notification.service';
import { METRIC } from '../../../observability/metrics/metrics';
import { type BookingEffect } from '../../domain/booking-effects';
import { type BookingEvent, type BookingRules } from '../../domain/booking-events';
import { type BookingRefusal } from '../../domain/booking-refusals';
import { type DisputeReason } from '../../domain/booking-status';
import { type BookingDecision, decide } from '../../domain/booking.machine';
import { type InspectionRecords, reportPath } from '../../domain/inspection';
import { type BookingEntity } from '../../persistence/booking.entity';
import { bookingRules, loadBookingFacts } from '../../persistence/booking-facts';
import { type HandlerColumns, recordTransition } from '../../persistence/booking.locks';
import { insertDispute, type NewDispute } from '../../persistence/dispute-cases';
import { insertInspectionRecords } from '../../persistence/inspection-records';
import { releaseSlot } from '../../persistence/slot-release';
import { CheckInCodes } from '../check-in/check-in-codes';
import { BookingPayments, type Settlement } from './booking-payments';
import { DisputeEffects } from './dispute-effects';

export interface AppliedTransition {
  readonly ok: true;
  /** The row as committed with the transition. */
  readonly booking: BookingEntity;
  readonly decision: BookingDecision;
  readonly settlement: Settlement;
  /** `issueCheckInCode`: the plain code, for the buyer's response only; the row holds its HMAC. */
  readonly checkInCode: string | null;
  /** `openDispute`: the reason of the dispute opened, the label of its metric. */
  readonly disputeReason: DisputeReason | null;
}

/** §3.5: the description of the dispute a no-show report opens. */
export const NO_SHOW_DESCRIPTION = 'Mechanic did not show up at the meeting point';

/**
 * Carries out a decision of the machine on a booking the caller has locked, in the caller's
 * transaction, in the order of booking-effects.ts: the payment (a failure rolls everything back),
 * the transition record, the slot, the notifications. Metrics wait for the commit: `count`.
 */
@Injectable()
export class BookingTransitionRunner {
  private readonly rules: BookingRules;

  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly payments: BookingPayments,
    private readonly checkInCodes: CheckInCodes,
    private readonly notifications: NotificationService,
    @InjectMetric(METRIC.bookingsCancelled) private readonly cancelled: Counter<string>,
    @InjectMetric(METRIC.bookingsCompleted) private readonly completed: Counter<string>,
    @InjectMetric(METRIC.paymentsCaptured) private readonly captured: Counter<string>,
    @InjectMetric(METRIC.paymentsRefunded) private readonly refunded: Counter<string>,
    @InjectMetric(METRIC.disputesOpened) private readonly disputesOpened: Counter<string>,
    private readonly disputes: DisputeEffects,
  ) {
    this.rules = bookingRules(config);
  }

  /** The machine's refusal is returned, not thrown: commands throw it, webhooks log it. */
  async apply(
    manager: EntityManager,
    booking: BookingEntity,
    event: BookingEvent,
  ): Promise<AppliedTransition | BookingRefusal> {
    const at = this.clock.now();
    const facts = await this.factsAt(manager, booking, at);
    const decided = decide(booking.status, facts, event);
    if (!decided.ok) return decided;
    const settlement = await this.payments.settle(manager, booking, decided, event);
    const decision = recordedMoney(decided, settlement, booking.totalPrice);
    // T8/T8b: the new code's columns are written with the status, so the old code stops working
    // in the same update that issues the new one (N13.7).
    const issued = decision.effects.includes('issueCheckInCode') ? this.checkInCodes.issue() : null;
    const set: HandlerColumns = {
      ...(issued && { checkInCode: issued.hash, checkInCodeAttempts: 0, checkInCodeGeneratedAt: at }),
      // T12 (D12): the release job captures once this time has passed; no timer lives in memory.
      ...(decision.effects.includes('schedulePaymentRelease') && {
        releaseDueAt: new Date(at.getTime() + this.config.PAYMENT_RELEASE_DELAY_HOURS * 3_600_000),
      }),
    };
    const recorded = await recordTransition(manager, booking, decision, event.actor, { at, set });
    const dispute = decision.effects.includes('openDispute') ? disputeOpenedBy(event) : null;
    // §9.1: the buyer opens every dispute, a Stripe chargeback included.
    if (dispute)
      await insertDispute(manager, {
        bookingId: booking.id,
        openedBy: booking.buyerId,
        ...dispute,
        createdAt: at,
      });
    const context = { booking: recorded, decision, event, at, mechanicUserId: facts.mechanicUserId };
    for (const effect of decision.effects) await this.carryOut(manager, effect, context);
    return {
      ok: true,
      booking: recorded,
      decision,
      settlement,
      checkInCode: issued?.code ?? null,
      disputeReason: dispute?.reason ?? null,
    };
  }

  /**
   * What `apply` would refuse, without carrying anything out: for a command that must do slow work
   * (an upload) between the guards and the transition, outside the lock, and then `apply`.
   */
  async refusalFor(
    manager: EntityManager,
    booking: BookingEntity,
    event: BookingEvent,
  ): Promise<BookingRefusal | null> {
    const decided = decide(booking.status, await this.factsAt(manager, booking, this.clock.now()), event);
    return decided.ok ? null : decided;
  }

  private factsAt(manager: EntityManager, booking: BookingEntity, now: Date) {
    return loadBookingFacts(manager, booking, { now, rules: this.rules, timeZone: this.config.APP_TIMEZONE });
  }

  /** After commit only (M-030): never count what may still roll back. */
  count({ decision, settlement, disputeReason }: AppliedTransition): void {
    const moved = (happened: boolean) => !settlement.moved || happened;
    for (const effect of decision.effects) {
      // An admin's resolution for the buyer cannot be said in `cancelled_by` (§9.3); its label can.
      if (effect === 'countBookingCancelled')
        this.cancelled.inc({ cancelled_by: decision.columns.cancelledBy ?? 'admin' });
      if (effect === 'countBookingCompleted') this.completed.inc();
      if (effect === 'countPaymentCaptured' && moved(settlement.captured)) this.captured.inc();
      if (effect === 'countPaymentRefunded' && moved(settlement.returned)) this.refunded.inc();
      if (effect === 'countDisputeOpened' && disputeReason)
        this.disputesOpened.inc({ reason: disputeReason });
    }
  }

  private async carryOut(
    manager: EntityManager,
    effect: BookingEffect,
    context: EffectContext,
  ): Promise<void> {
    const { booking, decision, event, at, mechanicUserId } = context;
    const bookingId = booking.id;
    switch (effect) {
      case 'releaseSlot':
        await releaseSlot(manager, booking);
        return;
      case 'storeInspectionReport':
        // T11: the files were stored before the lock was taken; their rows commit with the status.
        await insertInspectionRecords(manager, bookingId, inspectionOf(event), at);
        return;
      case 'notifyBuyerReportReady':
        await this.notifications.notify(
          manager,
          booking.buyerId,
          NOTIFICATIONS.checkOutDone({ bookingId, pdfUrl: reportPath(bookingId) }),
        );
        return;
      case 'notifyBuyerConfirmed':
        await this.notifications.notify(
          manager,
          booking.buyerId,
          NOTIFICATIONS.bookingConfirmed({ bookingId }),
        );
        return;
      case 'notifyBuyerRefused':
        await this.notifications.notify(
          manager,
          booking.buyerId,
          NOTIFICATIONS.bookingRefused({
            bookingId,
            reason: booking.refuseReason ?? 'other',
            proposedTime: booking.proposedTime,
          }),
        );
        return;
      case 'notifyOtherPartyCancelled': {
        const cancelledBy = decision.columns.cancelledBy ?? 'mechanic';
        const recipient = cancelledBy === 'buyer' ? mechanicUserId : booking.buyerId;
        await this.notifications.notify(
          manager,
          recipient,
          NOTIFICATIONS.bookingCancelled({ bookingId, cancelledBy }),
        );
        return;
      }
      case 'notifyBuyerCancelled':
        await this.notifications.notify(
          manager,
          booking.buyerId,
          buyerCancellationNotice(decision, bookingId),
        );
        return;
      case 'notifyMechanicNoShow':
        await this.notifications.notify(manager, mechanicUserId, NOTIFICATIONS.noShow({ bookingId }));
        return;
      case 'notifyMechanicDisputed':
        await this.notifications.notify(
          manager,
          mechanicUserId,
          NOTIFICATIONS.bookingDisputed({ bookingId }),
        );
        return;
      case 'resolveDispute':
        await this.disputes.recordVerdict(manager, event, at);
        return;
      case 'applyNoShowPenalty':
        await this.disputes.penalise(manager, booking, at);
        return;
      case 'writeAuditLog':
        await this.disputes.audit(manager, event);
        return;
      case 'notifyPartiesDisputeResolved':
        await this.disputes.notifyParties(manager, [booking.buyerId, mechanicUserId], booking.id, event);
        return;
      default:
        // Payments were settled before the record; recordTransition clears the GPS and writes the
        // check-in code issued and the release due time; apply() opens the dispute; metrics wait
        // for the commit. Any other effect belongs to a transition this runner does not carry out yet.
        if (!HANDLED_ELSEWHERE.has(effect))
          throw new Error(`Effect ${effect} is not carried out by this runner`);
    }
  }
}

/** What an effect is carried out for: the transition recorded, and who the mechanic is. */
interface EffectContext {
  /** The row as recorded with the transition. */
  booking: BookingEntity;
  decision: BookingDecision;
  event: BookingEvent;
  at: Date;
  mechanicUserId: string;
}

const HANDLED_ELSEWHERE = new Set<BookingEffect>([
  'cancelPaymentInFull',
  'refundHalfToBuyer',
  'captureForMechanic',
  'cancelPaymentBestEffort',
  'capturePayment',
  'clearMechanicLocation',
  'schedulePaymentRelease',
  'issueCheckInCode',
  'openDispute',
  'countDisputeOpened',
  'countBookingCancelled',
  'countBookingCompleted',
  'countPaymentCaptured',
  'countPaymentRefunded',
]);

/** §7.2 [REC]: the buyer learns that the mechanic never answered (the `cancel` notification, by the mechanic). */
function buyerCancellationNotice(decision: BookingDecision, bookingId: string) {
  if (decision.event === 'expire_pending')
    return NOTIFICATIONS.bookingCancelled({ bookingId, cancelledBy: 'mechanic' });
  throw new Error(`Telling the buyer about ${decision.event} is not carried out by this runner yet`);
}

/** The dispute an event opens (§9.1): the no-show report, the buyer's objection, a Stripe chargeback. */
function disputeOpenedBy(event: BookingEvent): Pick<NewDispute, 'reason' | 'description' | 'photoUrls'> {
  switch (event.type) {
    case 'report_no_show':
      return { reason: 'no_show', description: NO_SHOW_DESCRIPTION, photoUrls: null };
    case 'dispute':
      return { reason: event.reason, description: event.description, photoUrls: event.photoUrls };
    case 'stripe_dispute_opened':
      return { reason: event.reason, description: event.description, photoUrls: null };
    default:
      throw new Error(`${event.type} opens no dispute`);
  }
}

/** Check-out applies with the records of the files it stored; only `refusalFor` goes without. */
function inspectionOf(event: BookingEvent): InspectionRecords {
  if (event.type === 'check_out' && event.inspection) return event.inspection;
  throw new Error(`${event.type} carries no inspection records`);
}

/**
 * D8 and N13.9: the booking records what the money did. When nothing had been captured and nothing
 * could be, the buyer got everything back and the mechanic nothing, whatever the band said.
 */
function recordedMoney(
  decision: BookingDecision,
  settlement: Settlement,
  totalPrice: string,
): BookingDecision {
  if (!settlement.buyerKeepsAll) return decision;
  return {
    ...decision,
    columns: { ...decision.columns, refundPercentage: 100, refundAmount: totalPrice },
    stamps: decision.stamps.filter((stamp) => stamp !== 'paymentReleasedAt'),
  };
}
