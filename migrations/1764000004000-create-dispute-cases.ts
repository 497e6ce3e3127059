import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * bookings-payments §1.3 with N13.4 (the model's foreign keys: deleting a user keeps the dispute,
 * SET NULL) and I-10 (one dispute per booking, UNIQUE). The no-show branch of check-in is the first
 * writer; validate(false), the Stripe disputes and the resolution come with the disputes work.
 */
export class CreateDisputeCases1764000004000 implements MigrationInterface {
  name = 'CreateDisputeCases1764000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dispute_cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL
          CONSTRAINT fk_dispute_cases_booking_id REFERENCES bookings (id) ON DELETE RESTRICT
          CONSTRAINT uq_dispute_cases_booking_id UNIQUE,
        opened_by uuid CONSTRAINT fk_dispute_cases_opened_by REFERENCES users (id) ON DELETE SET NULL,
        reason varchar(20) NOT NULL
          CONSTRAINT ck_dispute_cases_reason_valid CHECK (reason IN ('no_show', 'wrong_info', 'rude_behavior', 'other')),
        description text NOT NULL,
        photo_urls json,
        status varchar(20) NOT NULL DEFAULT 'open'
          CONSTRAINT ck_dispute_cases_status_valid
            CHECK (status IN ('open', 'resolved_buyer', 'resolved_mechanic', 'closed')),
        resolved_at timestamptz,
        resolved_by_admin uuid
          CONSTRAINT fk_dispute_cases_resolved_by_admin REFERENCES users (id) ON DELETE SET NULL,
        resolution_notes text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX ix_dispute_cases_status ON dispute_cases (status)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE dispute_cases');
  }
}
