import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numericAsNumber } from '../../mechanics/persistence/numeric.transformer';
import {
  type BookingStatus,
  type CancelledBy,
  type RefusalReason,
  type VEHICLE_TYPES,
} from '../domain/booking-status';

/** numeric(10,2) money stays a decimal string ("46.00"), as the API serialises it (§0.5). */
const money = { type: 'numeric', precision: 10, scale: 2 } as const;
const coordinate = { type: 'numeric', precision: 9, scale: 6, transformer: numericAsNumber } as const;

/**
 * bookings-payments §1.1. `status` is written only by `recordTransition` (booking.locks.ts), with
 * the machine's decision; `updated_at` too, so tests and jobs control it through the Clock.
 */
@Entity({ name: 'bookings' })
export class BookingEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'buyer_id', type: 'uuid' })
  buyerId!: string;

  /** The mechanic profile id. */
  @Column({ name: 'mechanic_id', type: 'uuid' })
  mechanicId!: string;

  @Column({ name: 'availability_id', type: 'uuid', nullable: true })
  availabilityId!: string | null;

  @Column({ type: 'varchar', length: 30, default: 'pending_acceptance' })
  status!: BookingStatus;

  @Column({ name: 'vehicle_type', type: 'varchar', length: 20 })
  vehicleType!: (typeof VEHICLE_TYPES)[number];

  @Column({ name: 'vehicle_brand', type: 'varchar', length: 100 })
  vehicleBrand!: string;

  @Column({ name: 'vehicle_model', type: 'varchar', length: 100 })
  vehicleModel!: string;

  @Column({ name: 'vehicle_year', type: 'integer' })
  vehicleYear!: number;

  @Column({ name: 'vehicle_plate', type: 'varchar', length: 20, nullable: true })
  vehiclePlate!: string | null;

  @Column({ name: 'meeting_address', type: 'text' })
  meetingAddress!: string;

  @Column({ name: 'meeting_lat', ...coordinate })
  meetingLat!: number;

  @Column({ name: 'meeting_lng', ...coordinate })
  meetingLng!: number;

  /** A JSON number in responses (§0.5). */
  @Column({
    name: 'distance_km',
    type: 'numeric',
    precision: 6,
    scale: 2,
    default: 0,
    transformer: numericAsNumber,
  })
  distanceKm!: number;

  @Column({ name: 'obd_requested', type: 'boolean', default: false })
  obdRequested!: boolean;

  @Column({ name: 'base_price', ...money })
  basePrice!: string;

  @Column({ name: 'travel_fees', ...money, default: '0.00' })
  travelFees!: string;

  @Column({ name: 'total_price', ...money })
  totalPrice!: string;

  @Column({ name: 'commission_rate', type: 'numeric', precision: 5, scale: 4 })
  commissionRate!: string;

  @Column({ name: 'commission_amount', ...money })
  commissionAmount!: string;

  @Column({ name: 'mechanic_payout', ...money })
  mechanicPayout!: string;

  @Column({ name: 'stripe_payment_intent_id', type: 'varchar', length: 255, nullable: true })
  stripePaymentIntentId!: string | null;

  /** N13.15: when the buyer's authorisation was seen (webhook amount_capturable_updated or a retrieve). */
  @Column({ name: 'payment_authorized_at', type: 'timestamptz', nullable: true })
  paymentAuthorizedAt!: Date | null;

  /** HMAC-SHA256 of the current code, 64 hex (H-002, D2); null once entered. */
  @Column({ name: 'check_in_code', type: 'varchar', length: 64, nullable: true })
  checkInCode!: string | null;

  @Column({ name: 'check_in_code_attempts', type: 'integer', default: 0 })
  checkInCodeAttempts!: number;

  @Column({ name: 'check_in_code_generated_at', type: 'timestamptz', nullable: true })
  checkInCodeGeneratedAt!: Date | null;

  @Column({ name: 'check_in_at', type: 'timestamptz', nullable: true })
  checkInAt!: Date | null;

  @Column({ name: 'check_out_at', type: 'timestamptz', nullable: true })
  checkOutAt!: Date | null;

  @Column({ name: 'payment_released_at', type: 'timestamptz', nullable: true })
  paymentReleasedAt!: Date | null;

  /** D12: validation time + PAYMENT_RELEASE_DELAY_HOURS; the release job captures once it has passed. */
  @Column({ name: 'release_due_at', type: 'timestamptz', nullable: true })
  releaseDueAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'refuse_reason', type: 'varchar', length: 30, nullable: true })
  refuseReason!: RefusalReason | null;

  /** `HH:MM`, the counter-proposal sent with a refusal. */
  @Column({ name: 'proposed_time', type: 'varchar', length: 5, nullable: true })
  proposedTime!: string | null;

  @Column({ name: 'cancelled_by', type: 'varchar', length: 10, nullable: true })
  cancelledBy!: CancelledBy | null;

  @Column({ name: 'refund_percentage', type: 'integer', nullable: true })
  refundPercentage!: number | null;

  @Column({ name: 'refund_amount', ...money, nullable: true })
  refundAmount!: string | null;

  @Column({ name: 'reminder_24h_sent', type: 'boolean', default: false })
  reminder24hSent!: boolean;

  @Column({ name: 'reminder_2h_sent', type: 'boolean', default: false })
  reminder2hSent!: boolean;

  @Column({ name: 'mechanic_lat', ...coordinate, nullable: true })
  mechanicLat!: number | null;

  @Column({ name: 'mechanic_lng', ...coordinate, nullable: true })
  mechanicLng!: number | null;

  @Column({ name: 'mechanic_location_updated_at', type: 'timestamptz', nullable: true })
  mechanicLocationUpdatedAt!: Date | null;
}
