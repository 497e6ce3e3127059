import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { wallClock } from '../../common/clock/wall-clock';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { inTransaction } from '../../database/transactions';
import { MailOutbox } from '../../mail/mail.module';
import { Job, type ScheduledJob } from '../../scheduling/job';
import { reminderEmail, type ReminderWindow } from './reminder-emails';

const MINUTE = 60_000;
const BATCH_SIZE = 20;

/** §7.4: slot start within [now + from, now + to], bounds included; the flag says it was sent. */
const WINDOWS: { window: ReminderWindow; fromMs: number; toMs: number; flag: string }[] = [
  { window: '24h', fromMs: 23 * 60 * MINUTE, toMs: 25 * 60 * MINUTE, flag: 'reminder_24h_sent' },
  { window: '2h', fromMs: 105 * MINUTE, toMs: 135 * MINUTE, flag: 'reminder_2h_sent' },
];
type Window = (typeof WINDOWS)[number];

/** The slot's start instant: its wall-clock date and time read in APP_TIMEZONE (D3). */
const SLOT_START = `(slot.date + slot.start_time) AT TIME ZONE $4`;

interface Reminder {
  vehicle_brand: string;
  vehicle_model: string;
  vehicle_year: number;
  meeting_address: string;
  date: string;
  time: string;
  buyer_email: string;
  buyer_first_name: string | null;
  mechanic_email: string;
  mechanic_first_name: string | null;
}

/**
 * §7.4, every 15 minutes: e-mail both parties of a confirmed booking 24 h and 2 h before its slot.
 * N13.26 [REC]: the window is filtered on the slot's full start instant in SQL before the LIMIT, so
 * the 20 picked are all due and none starves. Each booking is one transaction — re-locked and
 * re-checked, its two e-mails enqueued on the durable delivery queue with its flag — so a failure
 * leaves that flag false for the next run (JOB-15) and the other bookings go on; SKIP LOCKED and
 * the flag make concurrent runs send each reminder once (I-14).
 */
@Injectable()
@Job('send_reminders', '*/15 * * * *')
export class SendRemindersJob implements ScheduledJob {
  private readonly logger = new Logger('SendRemindersJob');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** §7.4: a window that fails does not stop the other; the run still reports the failure. */
  async runBatch(now: Date): Promise<number> {
    let sent = 0;
    const failures: unknown[] = [];
    for (const window of WINDOWS) {
      try {
        for (const bookingId of await this.dueBookings(window, now)) {
          if (await this.remindIsolated(window, now, bookingId)) sent++;
        }
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
    return sent;
  }

  private async dueBookings(window: Window, now: Date): Promise<string[]> {
    const [from, to] = this.bounds(window, now);
    // The date range is implied by the instant range; it lets the slot-date index narrow the scan.
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT booking.id FROM bookings booking JOIN availabilities slot ON slot.id = booking.availability_id
        WHERE booking.status = 'confirmed' AND NOT booking.${window.flag}
          AND slot.date BETWEEN $5::date AND $6::date
          AND ${SLOT_START} BETWEEN $1 AND $2
        ORDER BY ${SLOT_START} LIMIT $3`,
      [from, to, BATCH_SIZE, this.config.APP_TIMEZONE, ...this.wallDates(from, to)],
    );
    return rows.map((row) => row.id);
  }

  /** True when this call sent the reminder; false if another run has it, it is no longer due, or it failed. */
  private async remindIsolated(window: Window, now: Date, bookingId: string): Promise<boolean> {
    try {
      return await inTransaction(this.dataSource, (manager) => this.remind(manager, window, now, bookingId));
    } catch (error) {
      this.logger.error({
        event: 'reminder_failed',
        booking_id: bookingId,
        window: window.window,
        err: error,
      });
      return false;
    }
  }

  private async remind(
    manager: EntityManager,
    window: Window,
    now: Date,
    bookingId: string,
  ): Promise<boolean> {
    const [from, to] = this.bounds(window, now);
    const rows: Reminder[] = await manager.query(
      `SELECT booking.vehicle_brand, booking.vehicle_model, booking.vehicle_year, booking.meeting_address,
              to_char(slot.date, 'YYYY-MM-DD') AS date, to_char(slot.start_time, 'HH24:MI') AS time,
              buyer.email AS buyer_email, buyer.first_name AS buyer_first_name,
              mechanic.email AS mechanic_email, mechanic.first_name AS mechanic_first_name
         FROM bookings booking
         JOIN availabilities slot ON slot.id = booking.availability_id
         JOIN users buyer ON buyer.id = booking.buyer_id
         JOIN mechanic_profiles profile ON profile.id = booking.mechanic_id
         JOIN users mechanic ON mechanic.id = profile.user_id
        WHERE booking.id = $3 AND booking.status = 'confirmed' AND NOT booking.${window.flag}
          AND ${SLOT_START} BETWEEN $1 AND $2
          FOR UPDATE OF booking SKIP LOCKED`,
      [from, to, bookingId, this.config.APP_TIMEZONE],
    );
    if (rows.length === 0) return false;
    const [reminder] = rows;
    const appointment = {
      date: reminder.date,
      time: reminder.time,
      vehicle: `${reminder.vehicle_brand} ${reminder.vehicle_model} (${reminder.vehicle_year})`,
      address: reminder.meeting_address,
    };
    const buyer = { email: reminder.buyer_email, firstName: reminder.buyer_first_name };
    const mechanic = { email: reminder.mechanic_email, firstName: reminder.mechanic_first_name };
    await this.mail.enqueue(manager, reminderEmail(buyer, 'buyer', window.window, appointment));
    await this.mail.enqueue(manager, reminderEmail(mechanic, 'mechanic', window.window, appointment));
    await manager.query(`UPDATE bookings SET ${window.flag} = true WHERE id = $1`, [bookingId]);
    return true;
  }

  private bounds(window: Window, now: Date): [Date, Date] {
    return [new Date(now.getTime() + window.fromMs), new Date(now.getTime() + window.toMs)];
  }

  private wallDates(from: Date, to: Date): [string, string] {
    return [wallClock(from, this.config.APP_TIMEZONE).date, wallClock(to, this.config.APP_TIMEZONE).date];
  }
}
