import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { NOTIFICATION_TYPES } from '../src/notifications/domain/notification-types';

/** messaging §1.2 in its later-version end state (NOT NULL created_at, every notification type). */
export class CreateNotifications1764000000002 implements MigrationInterface {
  name = 'CreateNotifications1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const types = NOTIFICATION_TYPES.map((type) => `'${type}'`).join(', ');
    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type varchar(50) NOT NULL CONSTRAINT ck_notification_type CHECK (type IN (${types})),
        title varchar(255) NOT NULL,
        body text NOT NULL,
        data jsonb,
        is_read boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The inbox (newest first) and its unread count; the retention job scans by age.
    await queryRunner.query(
      'CREATE INDEX ix_notification_user_created ON notifications (user_id, created_at DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_notification_user_unread ON notifications (user_id) WHERE NOT is_read',
    );
    await queryRunner.query('CREATE INDEX ix_notifications_created_at ON notifications (created_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE notifications');
  }
}
