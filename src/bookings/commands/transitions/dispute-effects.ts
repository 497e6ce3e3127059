import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { AuditLog } from '../../../audit/audit-log';
import { applyNoShowPenalty } from '../../../mechanics/persistence/no-show-penalty';
import { NOTIFICATIONS } from '../../../notifications/domain/notification-catalogue';
import { NotificationService } from '../../../notifications/domain/notification.service';
import { type BookingEvent } from '../../domain/booking-events';
import { type BookingEntity } from '../../persistence/booking.entity';
import { recordResolution } from '../../persistence/dispute-cases';

type ResolutionEvent = Extract<BookingEvent, { type: 'resolve_for_buyer' | 'resolve_for_mechanic' }>;

/** Who won: the resolution's name in the API, the audit action and the dispute status (§9.3, §1.9). */
function resolutionOf(event: ResolutionEvent): 'buyer' | 'mechanic' {
  return event.type === 'resolve_for_buyer' ? 'buyer' : 'mechanic';
}

function asResolution(event: BookingEvent): ResolutionEvent & { actor: { role: 'admin' } } {
  if (
    (event.type === 'resolve_for_buyer' || event.type === 'resolve_for_mechanic') &&
    event.actor.role === 'admin'
  )
    return event as ResolutionEvent & { actor: { role: 'admin' } };
  throw new Error(`${event.type} does not resolve a dispute`);
}

/**
 * The data and notification effects of T15/T16 (§9.3 steps 3–7, §8.1), carried out by the runner in
 * the resolution's transaction, after the money moved: the dispute's verdict, the penalty, the audit
 * row and both parties' notifications commit or roll back with the booking's new state.
 */
@Injectable()
export class DisputeEffects {
  private readonly logger = new Logger('Disputes');

  constructor(
    private readonly auditLog: AuditLog,
    private readonly notifications: NotificationService,
  ) {}

  async recordVerdict(manager: EntityManager, event: BookingEvent, at: Date): Promise<void> {
    const resolution = asResolution(event);
    await recordResolution(manager, {
      disputeId: resolution.disputeId,
      status: `resolved_${resolutionOf(resolution)}`,
      adminId: resolution.actor.userId,
      notes: resolution.notes,
      at,
    });
  }

  /** §8.1 [C-006]: only a no-show dispute resolved for the buyer gets here (the machine's branch). */
  async penalise(manager: EntityManager, booking: BookingEntity, at: Date): Promise<void> {
    const penalty = await applyNoShowPenalty(manager, booking.mechanicId, at);
    this.logger.warn({
      event: 'no_show_penalty_applied',
      mechanic_id: booking.mechanicId,
      booking_id: booking.id,
      no_show_count: penalty.noShowCount,
      consequence: penalty.consequence,
    });
  }

  /** §1.9: the admin is accountable for the verdict; no user is its target. */
  async audit(manager: EntityManager, event: BookingEvent): Promise<void> {
    const resolution = asResolution(event);
    const side = resolutionOf(resolution);
    await this.auditLog.record(manager, {
      action: `resolve_dispute_${side}`,
      adminUserId: resolution.actor.userId,
      targetUserId: null,
      detail: resolution.notes,
      metadata: { dispute_id: resolution.disputeId, resolution: side },
    });
  }

  /** §9.3: both parties learn the verdict (`recipients`: the buyer's and the mechanic's user ids). */
  async notifyParties(
    manager: EntityManager,
    recipients: readonly string[],
    bookingId: string,
    event: BookingEvent,
  ): Promise<void> {
    const notification = NOTIFICATIONS.disputeResolved({
      bookingId,
      resolution: resolutionOf(asResolution(event)),
    });
    for (const userId of recipients) await this.notifications.notify(manager, userId, notification);
  }
}
