import { Clock } from '../../src/common/clock/clock';

/** A clock tests move by hand; nothing in the suite sleeps to wait for time. */
export class FixedClock extends Clock {
  constructor(private current: Date = new Date('2026-03-02T09:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
