import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Job, type ScheduledJob } from '../../scheduling/job';

const RETENTION_DAYS = 3 * 365;
/** §12.7: 500 bookings per statement. */
const BATCH_SIZE = 500;
export const ANONYMIZED = '[anonymized]';

/**
 * §12.7 (GDPR storage limitation), monthly, day 1 at 02:30 UTC: finished bookings created more than
 * 3 × 365 days ago lose their vehicle and meeting place. The price, dates and parties stay for the
 * accounts. Beyond HEAD, the meeting coordinates are rounded to 0.1° (about 10 km): exact ones
 * would point at the address that was just erased.
 */
@Injectable()
@Job('anonymize_old_bookings', '30 2 1 * *')
export class AnonymizeOldBookingsJob implements ScheduledJob {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runBatch(now: Date): Promise<number> {
    const [, anonymized]: [unknown, number] = await this.dataSource.query(
      `UPDATE bookings
          SET vehicle_brand = $3, vehicle_model = $3, meeting_address = $3, vehicle_year = 0,
              vehicle_plate = NULL, meeting_lat = round(meeting_lat, 1), meeting_lng = round(meeting_lng, 1)
        WHERE id IN (
          SELECT id FROM bookings
           WHERE status IN ('completed', 'cancelled') AND meeting_address <> $3
             AND created_at < $1::timestamptz - make_interval(days => $2)
           LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)`,
      [now, RETENTION_DAYS, ANONYMIZED],
    );
    return anonymized;
  }
}
