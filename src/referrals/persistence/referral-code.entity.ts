import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** messaging-reports §1.4: one code per mechanic profile, globally unique, counting its uses. */
@Entity({ name: 'referral_codes' })
export class ReferralCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  code!: string;

  @Column({ name: 'mechanic_id', type: 'uuid' })
  mechanicId!: string;

  @Column({ name: 'uses_count', type: 'integer', default: 0 })
  usesCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
