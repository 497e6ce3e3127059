import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { wallClock, type WallClockReading } from '../../common/clock/wall-clock';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';

/** "Now" as the wall clock of APP_TIMEZONE, the zone slot dates and times are written in (N23). */
@Injectable()
export class SlotClock {
  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  now(): WallClockReading {
    return wallClock(this.clock.now(), this.config.APP_TIMEZONE);
  }
}

/**
 * identity §2.2 "future slot": free, and either on a later day or today and not yet over. `alias`
 * is the availabilities alias; `today` and `time` are the query's placeholders for SlotClock.now().
 */
export function futureFreeSlot(alias: string, today: string, time: string): string {
  return `${alias}.is_booked = false AND (${alias}.date > ${today} OR (${alias}.date = ${today} AND ${alias}.end_time > ${time}))`;
}
