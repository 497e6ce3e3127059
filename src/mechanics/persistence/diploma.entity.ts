import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'diplomas' })
export class DiplomaEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'mechanic_id', type: 'uuid' })
  mechanicId!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'integer', nullable: true })
  year!: number | null;

  /** Shown to its owner only; public views force it to null (identity §7.6). */
  @Column({ name: 'document_url', type: 'varchar', length: 500, nullable: true })
  documentUrl!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
