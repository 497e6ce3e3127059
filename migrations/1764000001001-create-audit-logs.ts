import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** identity-platform §1.6: one row per admin state change (§7.8), kept when an account is erased. */
export class CreateAuditLogs1764000001001 implements MigrationInterface {
  name = 'CreateAuditLogs1764000001001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_logs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        action varchar(50) NOT NULL,
        admin_user_id uuid NOT NULL
          CONSTRAINT fk_audit_logs_admin_user_id REFERENCES users (id) ON DELETE RESTRICT,
        target_user_id uuid CONSTRAINT fk_audit_logs_target_user_id REFERENCES users (id) ON DELETE SET NULL,
        detail text,
        metadata_json json,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX ix_audit_logs_action ON audit_logs (action)');
    await queryRunner.query('CREATE INDEX ix_audit_logs_admin_user_id ON audit_logs (admin_user_id)');
    await queryRunner.query('CREATE INDEX ix_audit_logs_created_at ON audit_logs (created_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_logs');
  }
}
