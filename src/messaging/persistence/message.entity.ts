import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** messaging-reports §1.1: one chat message of a booking; `content` is stored already masked. */
@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'booking_id', type: 'uuid' })
  bookingId!: string;

  /** Null once the sender deleted their account (§3.1.5). */
  @Column({ name: 'sender_id', type: 'uuid', nullable: true })
  senderId!: string | null;

  @Column({ name: 'is_template', type: 'boolean', default: true })
  isTemplate!: boolean;

  @Column({ type: 'text' })
  content!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
