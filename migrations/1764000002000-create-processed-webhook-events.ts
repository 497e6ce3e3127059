import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * bookings-payments §1.7: the deduplication row of every Stripe event applied (I-11), purged after
 * 7 days by cleanup_webhook_events (§7.5) through the processed_at index.
 */
export class CreateProcessedWebhookEvents1764000002000 implements MigrationInterface {
  name = 'CreateProcessedWebhookEvents1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE processed_webhook_events (
        event_id varchar(255) PRIMARY KEY,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_processed_webhook_events_processed_at ON processed_webhook_events (processed_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE processed_webhook_events');
  }
}
