import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 9: the release job's retry count. A capture that fails leaves the booking `validated` and
 * pushes `release_due_at` back by a backoff that grows with this count, so a failing booking is
 * retried later instead of at every claim, and operators can see how often it failed.
 */
export class AddReleaseAttempts1764000007000 implements MigrationInterface {
  name = 'AddReleaseAttempts1764000007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE bookings ADD COLUMN release_attempts integer NOT NULL DEFAULT 0
        CONSTRAINT ck_bookings_release_attempts_non_negative CHECK (release_attempts >= 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE bookings DROP COLUMN release_attempts');
  }
}
