import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { type ServiceLocation, type VehicleType } from '../domain/vehicle-types';
import { numericAsNumber } from './numeric.transformer';

@Entity({ name: 'mechanic_profiles' })
export class MechanicProfileEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  city!: string;

  @Column({
    name: 'city_lat',
    type: 'numeric',
    precision: 9,
    scale: 6,
    nullable: true,
    transformer: numericAsNumber,
  })
  cityLat!: number | null;

  @Column({
    name: 'city_lng',
    type: 'numeric',
    precision: 9,
    scale: 6,
    nullable: true,
    transformer: numericAsNumber,
  })
  cityLng!: number | null;

  @Column({ name: 'max_radius_km', type: 'integer', default: 30 })
  maxRadiusKm!: number;

  @Column({ name: 'free_zone_km', type: 'integer', default: 10 })
  freeZoneKm!: number;

  @Column({ name: 'accepted_vehicle_types', type: 'jsonb', default: () => "'[]'::jsonb" })
  acceptedVehicleTypes!: VehicleType[];

  @Column({
    name: 'rating_avg',
    type: 'numeric',
    precision: 4,
    scale: 2,
    default: 0,
    transformer: numericAsNumber,
  })
  ratingAvg!: number;

  @Column({ name: 'total_reviews', type: 'integer', default: 0 })
  totalReviews!: number;

  @Column({ name: 'identity_document_url', type: 'varchar', length: 500, nullable: true })
  identityDocumentUrl!: string | null;

  @Column({ name: 'selfie_with_id_url', type: 'varchar', length: 500, nullable: true })
  selfieWithIdUrl!: string | null;

  @Column({ name: 'cv_url', type: 'varchar', length: 500, nullable: true })
  cvUrl!: string | null;

  @Column({ name: 'photo_url', type: 'varchar', length: 500, nullable: true })
  photoUrl!: string | null;

  @Column({ name: 'is_identity_verified', type: 'boolean', default: false })
  isIdentityVerified!: boolean;

  @Column({ name: 'has_cv', type: 'boolean', default: false })
  hasCv!: boolean;

  @Column({ name: 'has_obd_diagnostic', type: 'boolean', default: false })
  hasObdDiagnostic!: boolean;

  @Column({ name: 'stripe_account_id', type: 'varchar', length: 255, nullable: true })
  stripeAccountId!: string | null;

  @Column({ name: 'no_show_count', type: 'integer', default: 0 })
  noShowCount!: number;

  @Column({ name: 'last_no_show_at', type: 'timestamptz', nullable: true })
  lastNoShowAt!: Date | null;

  @Column({ name: 'suspended_until', type: 'timestamptz', nullable: true })
  suspendedUntil!: Date | null;

  @Column({ name: 'service_location', type: 'varchar', length: 20, default: 'mobile' })
  serviceLocation!: ServiceLocation;

  @Column({ name: 'garage_address', type: 'varchar', length: 255, nullable: true })
  garageAddress!: string | null;

  @Column({ name: 'referred_by', type: 'varchar', length: 20, nullable: true })
  referredBy!: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
