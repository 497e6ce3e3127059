import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A slot: `date`, `start_time` and `end_time` are wall-clock values in APP_TIMEZONE (N23, D3). */
@Entity({ name: 'availabilities' })
export class AvailabilityEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'mechanic_id', type: 'uuid' })
  mechanicId!: string;

  /** `YYYY-MM-DD` (TypeORM keeps date columns as strings, so no time zone can shift them). */
  @Column({ type: 'date' })
  date!: string;

  /** `HH:MM:SS`. */
  @Column({ name: 'start_time', type: 'time' })
  startTime!: string;

  @Column({ name: 'end_time', type: 'time' })
  endTime!: string;

  @Column({ name: 'is_booked', type: 'boolean', default: false })
  isBooked!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
