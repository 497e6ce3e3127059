import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * bookings-payments §1.8 [REC]: one Connect account belongs to one mechanic, so `account.updated`
 * activates at most one profile. The original could only make it unique in production because its
 * mock mode gave every profile `acct_mock_123`; development accounts are unique here
 * (`acct_dev_<uuid>`), so the rule holds everywhere. Same name as H-023's index, which it replaces.
 */
export class UniqueStripeAccountId1764000002001 implements MigrationInterface {
  name = 'UniqueStripeAccountId1764000002001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_mechanic_profiles_stripe_account_id');
    await queryRunner.query(`
      CREATE UNIQUE INDEX ix_mechanic_profiles_stripe_account_id ON mechanic_profiles (stripe_account_id)
        WHERE stripe_account_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_mechanic_profiles_stripe_account_id');
    await queryRunner.query(
      'CREATE INDEX ix_mechanic_profiles_stripe_account_id ON mechanic_profiles (stripe_account_id)',
    );
  }
}
