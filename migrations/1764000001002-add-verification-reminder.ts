import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When notify_unverified_mechanics last reminded a mechanic (messaging §3.2.4: at most one reminder
 * a week). Kept on the profile, where the job claims its rows, rather than inferred from the
 * notifications table, which its retention job empties.
 */
export class AddVerificationReminder1764000001002 implements MigrationInterface {
  name = 'AddVerificationReminder1764000001002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE mechanic_profiles ADD COLUMN verification_reminded_at timestamptz');
    await queryRunner.query(`
      CREATE INDEX ix_mechanic_profiles_unverified_without_document ON mechanic_profiles (verification_reminded_at)
        WHERE identity_document_url IS NULL AND NOT is_identity_verified`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_mechanic_profiles_unverified_without_document');
    await queryRunner.query('ALTER TABLE mechanic_profiles DROP COLUMN verification_reminded_at');
  }
}
