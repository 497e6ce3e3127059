import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** identity-platform §1.1 and §1.5 with the HEAD columns of §10 (verification code sized for its HMAC: N27). */
export class CreateUsersAndBlacklistedTokens1764000000001 implements MigrationInterface {
  name = 'CreateUsersAndBlacklistedTokens1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(255) NOT NULL,
        password_hash varchar(255) NOT NULL,
        role varchar(20) NOT NULL CONSTRAINT ck_users_role CHECK (role IN ('buyer', 'mechanic', 'admin')),
        first_name varchar(100),
        last_name varchar(100),
        phone varchar(20),
        is_verified boolean NOT NULL DEFAULT false,
        is_active boolean NOT NULL DEFAULT true,
        expo_push_token varchar(100),
        password_changed_at timestamptz,
        verification_code varchar(64),
        verification_code_expires_at timestamptz,
        verification_code_attempts integer NOT NULL DEFAULT 0
          CONSTRAINT ck_users_verification_code_attempts CHECK (verification_code_attempts >= 0),
        photo_url varchar(500),
        stripe_customer_id varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX ix_users_email ON users (email)');
    await queryRunner.query('CREATE INDEX ix_users_stripe_customer_id ON users (stripe_customer_id)');
    await queryRunner.query(`
      CREATE TABLE blacklisted_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        jti varchar(36) NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The uniqueness is what makes single-use tokens and refresh rotation safe under concurrency.
    await queryRunner.query('CREATE UNIQUE INDEX ix_blacklisted_tokens_jti ON blacklisted_tokens (jti)');
    await queryRunner.query(
      'CREATE INDEX ix_blacklisted_tokens_expires_at ON blacklisted_tokens (expires_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE blacklisted_tokens');
    await queryRunner.query('DROP TABLE users');
  }
}
