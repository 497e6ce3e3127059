import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../database/transactions';
import { NOTIFICATIONS } from '../../notifications/domain/notification-catalogue';
import { NotificationService } from '../../notifications/domain/notification.service';
import { Job, type ScheduledJob } from '../../scheduling/job';

const REMIND_EVERY_DAYS = 7;
const BATCH_SIZE = 200;

/**
 * Daily nudge to mechanics who have not uploaded an identity document (messaging §3.2.4), at most
 * once a week each. Unlike the original (§9-11) it leaves out suspended mechanics and deleted
 * accounts; profiles still inactive because onboarding is unfinished are exactly its audience.
 * The reminder date and the notification commit together, so a crash cannot send twice or skip.
 */
@Injectable()
@Job('notify_unverified_mechanics', '0 7 * * *')
export class NotifyUnverifiedMechanicsJob implements ScheduledJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationService,
  ) {}

  async runBatch(now: Date): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const [reminded]: [{ user_id: string }[], number] = await manager.query(
        `UPDATE mechanic_profiles SET verification_reminded_at = $1
          WHERE id IN (
            SELECT profile.id FROM mechanic_profiles profile JOIN users ON users.id = profile.user_id
             WHERE profile.identity_document_url IS NULL AND NOT profile.is_identity_verified
               AND users.is_active
               AND (profile.suspended_until IS NULL OR profile.suspended_until <= $1)
               AND (profile.verification_reminded_at IS NULL
                    OR profile.verification_reminded_at <= $1::timestamptz - make_interval(days => $2))
             ORDER BY profile.id LIMIT ${BATCH_SIZE}
               FOR UPDATE OF profile SKIP LOCKED)
          RETURNING user_id`,
        [now, REMIND_EVERY_DAYS],
      );
      for (const { user_id } of reminded) {
        await this.notifications.notify(manager, user_id, NOTIFICATIONS.profileVerification());
      }
      return reminded.length;
    });
  }
}
