import { randomUUID } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { PG_ERROR, pgErrorCode } from '../../../database/pg-errors';
import { inTransaction } from '../../../database/transactions';
import { NOTIFICATIONS } from '../../../notifications/domain/notification-catalogue';
import { NotificationService } from '../../../notifications/domain/notification.service';
import { METRIC } from '../../../observability/metrics/metrics';
import { IdempotencyKeys } from '../../../payments/domain/idempotency-keys';
import { paymentFailed } from '../../../payments/domain/payment-errors';
import { isPaymentFailure, PaymentGateway } from '../../../payments/domain/payment-gateway';
import { type BookingActor, type BookingFacts, DEFAULT_BOOKING_RULES } from '../../domain/booking-events';
import { refusalError } from '../../domain/booking-refusals';
import { decide } from '../../domain/booking.machine';
import { priceBooking, type Tariff } from '../../domain/pricing';
import { bookingView } from '../../http/booking.views';
import { BookingEntity } from '../../persistence/booking.entity';
import { recordCreation } from '../../persistence/booking.locks';
import { type BookableMechanic, checkBookable, loadBookableMechanic } from './bookable-mechanic';
import { consumeSlot, lockWindow, SLOT_BUSY_MESSAGE } from './booking-slot';
import { CreateBookingCommand, type CreatedBooking } from './create-booking.command';
import { planBookedSlot } from './booked-slot-plan';

/**
 * POST /bookings (bookings-payments §3.1, T1). One transaction: the window's row lock (`NOWAIT`, I-1),
 * the contract's checks in order, the price (§6), the machine's `create` decision, then its effects:
 * the PaymentIntent (key with a nonce, D5), the slot split and buffer, the booking and its first
 * transition, the mechanic's notification; the metric after commit (M-030).
 *
 * I-9: a PaymentIntent made by an attempt that does not commit (a later failure, a failed commit, a
 * deadlock retry) is cancelled with `cancel_{pi}` — best effort, logged by the gateway — so no
 * authorisation outlives its booking.
 */
@CommandHandler(CreateBookingCommand)
export class CreateBookingHandler implements ICommandHandler<CreateBookingCommand> {
  private readonly logger = new Logger('CreateBooking');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gateway: PaymentGateway,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectMetric(METRIC.bookingsCreated) private readonly created: Counter<string>,
  ) {}

  async execute(command: CreateBookingCommand): Promise<CreatedBooking> {
    // Known before the PaymentIntent exists, so that Stripe's logs and ours name the booking (H-022).
    const bookingId = randomUUID();
    const uncommitted: string[] = [];
    try {
      const result = await inTransaction(this.dataSource, async (manager) => {
        await this.compensate(uncommitted.splice(0), bookingId);
        return this.book(manager, bookingId, command, (paymentIntentId) => uncommitted.push(paymentIntentId));
      });
      this.created.inc({ status: 'pending_acceptance' });
      return result;
    } catch (error) {
      await this.compensate(uncommitted, bookingId);
      if (pgErrorCode(error) === PG_ERROR.lockNotAvailable)
        throw new DomainError('slot_being_booked', SLOT_BUSY_MESSAGE);
      throw error;
    }
  }

  private async book(
    manager: EntityManager,
    bookingId: string,
    { buyer, request }: CreateBookingCommand,
    authorized: (paymentIntentId: string) => void,
  ): Promise<CreatedBooking> {
    const now = this.clock.now();
    const window = await lockWindow(manager, request.availability_id);
    if (!window) throw new DomainError('availability_not_found', 'Availability slot not found');
    if (window.isBooked) throw new DomainError('slot_booked', 'This slot is already booked');
    const split = planBookedSlot(window, request.slot_start_time ?? null, now, this.config);

    const mechanic = await loadBookableMechanic(manager, request.mechanic_id, {
      lat: request.meeting_lat,
      lng: request.meeting_lng,
    });
    if (!mechanic) throw new DomainError('mechanic_not_found', 'Mechanic not found');
    const obdRequested = request.obd_requested ?? false;
    const distanceKm = checkBookable(mechanic, {
      buyerId: buyer.id,
      slotMechanicId: window.mechanicId,
      vehicleType: request.vehicle_type,
      obdRequested,
      now,
    });
    const price = priceBooking(
      { distanceKm, freeZoneKm: mechanic.freeZoneKm, obdRequested },
      tariffOf(this.config),
    );

    const actor: BookingActor = { role: 'buyer', userId: buyer.id, emailVerified: buyer.emailVerified };
    const decision = decide(null, newBookingFacts(buyer.id, mechanic, price.totalPrice), {
      type: 'create',
      actor,
    });
    if (!decision.ok) throw refusalError(decision);

    // Effects of `create`, in the order of booking-effects.ts: payment, data, notification.
    const authorization = await this.gateway.createAuthorization({
      amountCents: price.amountCents,
      commissionCents: price.commissionCents,
      buyerId: buyer.id,
      mechanicProfileId: mechanic.profileId,
      destinationAccountId: mechanic.stripeAccountId,
      key: IdempotencyKeys.bookingAuthorization(buyer.id, request.availability_id),
      reference: { bookingId },
    });
    if (isPaymentFailure(authorization)) throw paymentFailed();
    authorized(authorization.paymentIntentId);

    const slotId = await consumeSlot(manager, window, split, {
      bufferSeconds: this.config.BOOKING_BUFFER_ZONE_MINUTES * 60,
      slotSeconds: this.config.BOOKING_SLOT_DURATION_MINUTES * 60,
    });
    const { amountCents: _amount, commissionCents: _commission, ...priceColumns } = price;
    await recordCreation(
      manager,
      {
        id: bookingId,
        buyerId: buyer.id,
        mechanicId: mechanic.profileId,
        availabilityId: slotId,
        vehicleType: request.vehicle_type,
        vehicleBrand: request.vehicle_brand,
        vehicleModel: request.vehicle_model,
        vehicleYear: request.vehicle_year,
        vehiclePlate: request.vehicle_plate ?? null,
        meetingAddress: request.meeting_address,
        meetingLat: request.meeting_lat,
        meetingLng: request.meeting_lng,
        // numeric(6,2) rounds the exact distance half-up; the price above used it unrounded (§3.1-7).
        distanceKm,
        obdRequested,
        ...priceColumns,
        stripePaymentIntentId: authorization.paymentIntentId,
      },
      decision,
      actor,
      { at: now },
    );
    await this.notifications.notify(
      manager,
      mechanic.userId,
      NOTIFICATIONS.bookingCreated({
        bookingId,
        vehicleBrand: request.vehicle_brand,
        vehicleModel: request.vehicle_model,
      }),
    );
    const booking = await manager.findOneByOrFail(BookingEntity, { id: bookingId });
    return { booking: bookingView(booking, 'buyer'), client_secret: authorization.clientSecret };
  }

  /** Best effort (§3.1-9): a failure is logged and never hides the error that made the attempt fail. */
  private async compensate(paymentIntentIds: readonly string[], bookingId: string): Promise<void> {
    for (const paymentIntentId of paymentIntentIds) {
      const released = await this.gateway
        .cancelOrRefundInFull(paymentIntentId, IdempotencyKeys.compensation(paymentIntentId), { bookingId })
        .then((outcome) => !isPaymentFailure(outcome))
        .catch(() => false);
      // The gateway logged the provider's error; this says which authorisation is left open.
      if (!released) {
        this.logger.error({
          event: 'booking_authorization_not_released',
          booking_id: bookingId,
          payment_intent_id: paymentIntentId,
        });
      }
    }
  }
}

function newBookingFacts(
  buyerId: string,
  mechanic: Pick<BookableMechanic, 'userId' | 'profileId'>,
  totalPrice: string,
): BookingFacts {
  return {
    buyerId,
    mechanicUserId: mechanic.userId,
    mechanicProfileId: mechanic.profileId,
    totalPrice,
    // Every booking is created with its PaymentIntent (the development gateway makes one too).
    hasPaymentIntent: true,
    paymentAuthorized: false,
    msUntilSlotStart: null,
    msSinceCreated: 0,
    msSinceCodeIssued: null,
    checkInCodeAttempts: 0,
    hasDispute: false,
    disputeReason: null,
    rules: DEFAULT_BOOKING_RULES,
  };
}

function tariffOf(config: AppConfig): Tariff {
  return {
    baseInspectionPrice: config.BASE_INSPECTION_PRICE,
    obdSupplement: config.OBD_SUPPLEMENT,
    commissionRate: config.PLATFORM_COMMISSION_RATE,
    travelFeePerKm: config.TRAVEL_FEE_PER_KM,
  };
}
