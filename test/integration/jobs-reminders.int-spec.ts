import { MailOutbox } from '../../src/mail/mail.module';
import { MAIL_QUEUE, type MailMessage } from '../../src/mail/mail-message';
import { JobRunner } from '../../src/scheduling/job-runner';
import { type TestApp } from '../support/app';
import { insertBooking } from '../support/booking-factories';
import { FixedClock } from '../support/clock';
import { waitForIdleQueue } from '../support/delivery';
import { createUser, type UserOverrides } from '../support/factories';
import { createMechanic, createSlot } from '../support/mechanic-factories';
import { SmtpCatcher } from '../support/smtp-catcher';
import { useTestApps } from '../support/test-app-context';

/** 09:00 UTC = 10:00 in Paris (APP_TIMEZONE, UTC+1 in November). */
const NOW = new Date('2026-11-24T09:00:00.000Z');
const TODAY = '2026-11-24';
const TOMORROW = '2026-11-25';

interface Booked {
  bookingId: string;
  buyerEmail: string;
  mechanicEmail: string;
}

describe('send_reminders (bookings-payments §7.4, N13.26)', () => {
  const clock = new FixedClock(NOW);
  const smtp = new SmtpCatcher();
  beforeAll(() => smtp.start());
  const ctx = useTestApps(2, { clock, env: () => ({ SMTP_URL: smtp.url }) });
  afterAll(() => smtp.stop());
  let testApp: TestApp;
  let otherInstance: TestApp;

  const runReminders = (app: TestApp = testApp) => app.app.get(JobRunner).run('send_reminders');

  /** A confirmed booking of a new buyer and mechanic on a slot of `date` starting at `start` (Paris time). */
  async function confirmedBooking(
    date: string,
    start: string,
    options: { buyer?: UserOverrides; mechanic?: UserOverrides; address?: string; status?: string } = {},
  ): Promise<Booked> {
    const buyer = await createUser(testApp.dataSource, options.buyer);
    const mechanic = await createMechanic(testApp.dataSource, {}, options.mechanic);
    const end = `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}${start.slice(2)}`;
    const slotId = await createSlot(testApp.dataSource, mechanic.profileId, {
      date,
      start,
      end,
      isBooked: true,
    });
    const bookingId = await insertBooking(testApp.dataSource, buyer.id, mechanic.profileId, {
      status: (options.status ?? 'confirmed') as 'confirmed',
      availability_id: slotId,
      ...(options.address ? { meeting_address: options.address } : {}),
    });
    return { bookingId, buyerEmail: buyer.email, mechanicEmail: mechanic.email };
  }

  async function flags(
    bookingId: string,
  ): Promise<{ reminder_24h_sent: boolean; reminder_2h_sent: boolean }> {
    const [row] = await testApp.dataSource.query(
      'SELECT reminder_24h_sent, reminder_2h_sent FROM bookings WHERE id = $1',
      [bookingId],
    );
    return row;
  }

  async function delivered(): Promise<void> {
    await waitForIdleQueue(testApp.dataSource, MAIL_QUEUE);
  }

  beforeAll(() => {
    [testApp, otherInstance] = ctx.apps;
  });

  beforeEach(async () => {
    // Each test's bookings only: earlier ones would be due again in the windows it sets up.
    await testApp.dataSource.query(`UPDATE bookings SET reminder_24h_sent = true, reminder_2h_sent = true`);
    smtp.messages.length = 0;
  });

  it('JOB-12: 24 h ahead, both parties get "demain" once, with no phone number; a second run sends nothing', async () => {
    const booked = await confirmedBooking(TOMORROW, '10:00:00', {
      buyer: { firstName: 'Jean', phone: '+33611111111' },
      mechanic: { firstName: 'Pierre', phone: '+33622222222' },
    });

    expect(await runReminders()).toBe(1);
    await delivered();

    const buyerMail = smtp.to(booked.buyerEmail);
    const mechanicMail = smtp.to(booked.mechanicEmail);
    expect(smtp.messages).toHaveLength(2);
    expect(buyerMail.map((mail) => mail.subject)).toEqual(['Rappel: Votre controle mecanique demain']);
    expect(mechanicMail.map((mail) => mail.subject)).toEqual(['Rappel: Controle mecanique demain']);
    expect(buyerMail[0].html).toContain('Bonjour Jean');
    expect(mechanicMail[0].html).toContain('Bonjour Pierre');
    for (const mail of [...buyerMail, ...mechanicMail]) {
      expect(mail.html).toContain(TOMORROW);
      expect(mail.html).toContain('10:00');
      expect(mail.html).toContain('Peugeot 308 (2019)');
      expect(mail.html).toContain('1 place du Capitole, Toulouse');
      expect(mail.html).not.toContain('+336');
      expect(mail.text).not.toContain('+336');
    }
    expect(await flags(booked.bookingId)).toEqual({ reminder_24h_sent: true, reminder_2h_sent: false });

    expect(await runReminders()).toBe(0);
    await delivered();
    expect(smtp.messages).toHaveLength(2);
  });

  it('JOB-13: 2 h ahead, both parties get "dans 2h" (without phones: issue 9 and HEAD drop them), greeting falls back to the e-mail', async () => {
    const booked = await confirmedBooking(TODAY, '12:00:00', {
      buyer: { phone: '+33611111111' },
      mechanic: { phone: '+33622222222' },
    });

    expect(await runReminders()).toBe(1);
    await delivered();

    expect(smtp.to(booked.buyerEmail).map((mail) => mail.subject)).toEqual([
      'Rappel: Votre controle mecanique dans 2h',
    ]);
    expect(smtp.to(booked.mechanicEmail).map((mail) => mail.subject)).toEqual([
      'Rappel: Controle mecanique dans 2h',
    ]);
    expect(smtp.to(booked.buyerEmail)[0].html).toContain(`Bonjour ${booked.buyerEmail.split('@')[0]}`);
    for (const mail of smtp.messages) expect(mail.html).not.toContain('+336');
    expect(await flags(booked.bookingId)).toEqual({ reminder_24h_sent: false, reminder_2h_sent: true });
  });

  it('JOB-14: a confirmed booking 12 h ahead, a pending one 24 h ahead and one without a slot get nothing', async () => {
    const soon = await confirmedBooking(TODAY, '22:00:00');
    const pending = await confirmedBooking(TOMORROW, '10:00:00', { status: 'pending_acceptance' });
    const buyer = await createUser(testApp.dataSource);
    const mechanic = await createMechanic(testApp.dataSource);
    const slotless = await insertBooking(testApp.dataSource, buyer.id, mechanic.profileId, {
      status: 'confirmed',
      availability_id: null,
    });

    expect(await runReminders()).toBe(0);
    await delivered();

    expect(smtp.messages).toEqual([]);
    for (const bookingId of [soon.bookingId, pending.bookingId, slotless]) {
      expect(await flags(bookingId)).toEqual({ reminder_24h_sent: false, reminder_2h_sent: false });
    }
  });

  it('JOB-15 [FAULT]: a booking whose e-mails cannot be dispatched keeps its flag false for the next run; the others are reminded', async () => {
    const failing = await confirmedBooking(TOMORROW, '09:30:00');
    const fine = await confirmedBooking(TOMORROW, '10:30:00');
    const outbox = testApp.app.get(MailOutbox);
    const enqueue = outbox.enqueue.bind(outbox);
    const spy = jest
      .spyOn(outbox, 'enqueue')
      .mockImplementation((manager, message: MailMessage) =>
        message.to === failing.mechanicEmail
          ? Promise.reject(new Error('delivery queue unavailable'))
          : enqueue(manager, message),
      );
    try {
      expect(await runReminders()).toBe(1);
    } finally {
      spy.mockRestore();
    }
    await delivered();

    expect(await flags(failing.bookingId)).toEqual({ reminder_24h_sent: false, reminder_2h_sent: false });
    expect(await flags(fine.bookingId)).toEqual({ reminder_24h_sent: true, reminder_2h_sent: false });
    // The buyer's e-mail was enqueued in the transaction that rolled back: it never leaves.
    expect(smtp.messages.map((mail) => mail.to).sort()).toEqual([fine.buyerEmail, fine.mechanicEmail].sort());

    expect(await runReminders()).toBe(1);
    await delivered();
    expect(await flags(failing.bookingId)).toEqual({ reminder_24h_sent: true, reminder_2h_sent: false });
    expect(smtp.to(failing.buyerEmail)).toHaveLength(1);
  });

  it('JOB-16: user values are HTML-escaped in the reminder', async () => {
    const booked = await confirmedBooking(TOMORROW, '10:00:00', {
      buyer: { firstName: '<b>x</b>' },
      address: '3 rue <script>alert(1)</script>, Toulouse',
    });

    await runReminders();
    await delivered();

    const [mail] = smtp.to(booked.buyerEmail);
    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).not.toContain('<b>x</b>');
    expect(mail.html).not.toContain('<script>');
  });

  it('N13.26: a booking inside the window is reminded even behind 25 on the same date outside it', async () => {
    const buyer = await createUser(testApp.dataSource);
    const mechanic = await createMechanic(testApp.dataSource);
    // 00:00, 00:20, … 08:00 in Paris tomorrow: on the window's date, before its start (09:00).
    for (let i = 0; i < 25; i++) {
      const minutes = i * 20;
      const at = (m: number) =>
        `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
      const slotId = await createSlot(testApp.dataSource, mechanic.profileId, {
        date: TOMORROW,
        start: at(minutes),
        end: at(minutes + 15),
        isBooked: true,
      });
      await insertBooking(testApp.dataSource, buyer.id, mechanic.profileId, {
        status: 'confirmed',
        availability_id: slotId,
      });
    }
    const inWindow = await confirmedBooking(TOMORROW, '10:45:00');

    expect(await runReminders()).toBe(1);
    await delivered();

    expect(await flags(inWindow.bookingId)).toEqual({ reminder_24h_sent: true, reminder_2h_sent: false });
    expect(smtp.messages.map((mail) => mail.to).sort()).toEqual(
      [inWindow.buyerEmail, inWindow.mechanicEmail].sort(),
    );
  });

  it('I-14: two instances running send_reminders at once send each reminder exactly once (×20)', async () => {
    const booked = await Promise.all(
      ['09:00:00', '09:30:00', '10:00:00', '10:30:00', '11:00:00'].map((start) =>
        confirmedBooking(TOMORROW, start),
      ),
    );
    const ids = booked.map((b) => b.bookingId);
    const mailJobs = async (): Promise<number> =>
      (
        await testApp.dataSource.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [
          MAIL_QUEUE,
        ])
      )[0].n;

    for (let round = 0; round < 20; round++) {
      await testApp.dataSource.query(`UPDATE bookings SET reminder_24h_sent = false WHERE id = ANY($1)`, [
        ids,
      ]);
      const before = await mailJobs();

      const sent = await Promise.all([runReminders(testApp), runReminders(otherInstance)]);

      expect(sent[0] + sent[1]).toBe(ids.length);
      expect((await mailJobs()) - before).toBe(2 * ids.length);
    }
  });
});
