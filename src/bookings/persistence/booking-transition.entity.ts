import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { type BookingEventType } from '../domain/booking-events';
import { type ActorRole, type BookingStatus } from '../domain/booking-status';

/** One row per status change, append-only (a trigger refuses UPDATE and DELETE). */
@Entity({ name: 'booking_transitions' })
export class BookingTransitionEntity {
  /** bigint identity: pg returns it as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'booking_id', type: 'uuid' })
  bookingId!: string;

  /** Null for the creation. */
  @Column({ name: 'from_status', type: 'varchar', length: 30, nullable: true })
  fromStatus!: BookingStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 30 })
  toStatus!: BookingStatus;

  @Column({ type: 'varchar', length: 40 })
  event!: BookingEventType;

  @Column({ name: 'actor_role', type: 'varchar', length: 10 })
  actorRole!: ActorRole;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'machine_version', type: 'integer' })
  machineVersion!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
