import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * messaging-reports §1.1 in its later-version end state (§8): `created_at` NOT NULL, the model's
 * foreign keys (a booking's chat goes with it; a deleted sender leaves an anonymous message).
 * Indexes: the conversation in order (`ix_messages_booking_id`), a sender's messages newest first
 * for the GDPR erase and export (`ix_messages_sender_id`), and the per-sender per-booking quota
 * count of §3.1.1 (`ix_messages_booking_sender_kind`).
 */
export class CreateMessages1764000009000 implements MigrationInterface {
  name = 'CreateMessages1764000009000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL
          CONSTRAINT fk_messages_booking_id REFERENCES bookings (id) ON DELETE CASCADE,
        sender_id uuid CONSTRAINT fk_messages_sender_id REFERENCES users (id) ON DELETE SET NULL,
        is_template boolean NOT NULL DEFAULT true,
        content text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX ix_messages_booking_id ON messages (booking_id, created_at, id)');
    await queryRunner.query('CREATE INDEX ix_messages_sender_id ON messages (sender_id, created_at)');
    await queryRunner.query(
      'CREATE INDEX ix_messages_booking_sender_kind ON messages (booking_id, sender_id, is_template)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE messages');
  }
}
