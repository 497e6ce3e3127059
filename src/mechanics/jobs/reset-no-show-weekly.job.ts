import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Job, type ScheduledJob } from '../../scheduling/job';

const FORGIVEN_AFTER_DAYS = 90;
/** §12.7: 20 profiles per statement, each statement its own commit. */
const BATCH_SIZE = 20;

/**
 * §7.6 / §8.2, Mondays 05:00 UTC: a mechanic whose last no-show is more than 90 days old starts
 * again from zero. A suspension or ban stays (it lapses or is lifted on its own terms). FOR UPDATE
 * re-checks the date on the latest row version, so a penalty committed meanwhile is never undone,
 * and SKIP LOCKED lets several instances share the work.
 */
@Injectable()
@Job('reset_no_show_weekly', '0 5 * * 1')
export class ResetNoShowWeeklyJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runBatch(now: Date): Promise<number> {
    const [, reset]: [unknown, number] = await this.dataSource.query(
      `UPDATE mechanic_profiles SET no_show_count = 0, last_no_show_at = NULL WHERE id IN (
         SELECT id FROM mechanic_profiles
          WHERE no_show_count > 0 AND last_no_show_at < $1::timestamptz - make_interval(days => $2)
          ORDER BY id LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
      [now, FORGIVEN_AFTER_DAYS],
    );
    return reset;
  }
}
