import { type MailMessage } from '../../mail/mail-message';
import { escapeHtml } from '../../mail/templates';

export type ReminderWindow = '24h' | '2h';
export type ReminderAudience = 'buyer' | 'mechanic';

export interface ReminderRecipient {
  email: string;
  firstName: string | null;
}

export interface ReminderAppointment {
  /** `YYYY-MM-DD` and `HH:MM`, the slot's wall-clock date and time in APP_TIMEZONE. */
  date: string;
  time: string;
  vehicle: string;
  address: string;
}

/** §7.4's subjects, unaccented as in the original. */
const SUBJECTS: Record<ReminderAudience, Record<ReminderWindow, string>> = {
  buyer: {
    '24h': 'Rappel: Votre controle mecanique demain',
    '2h': 'Rappel: Votre controle mecanique dans 2h',
  },
  mechanic: {
    '24h': 'Rappel: Controle mecanique demain',
    '2h': 'Rappel: Controle mecanique dans 2h',
  },
};

const WHEN: Record<ReminderWindow, string> = { '24h': 'demain', '2h': 'dans 2 heures' };

/**
 * The §7.4 reminder to one party: greeting, date, time, vehicle and address, every user value
 * HTML-escaped (JOB-16). No phone numbers (HEAD, §12.7): the app shows them to the parties.
 */
export function reminderEmail(
  recipient: ReminderRecipient,
  audience: ReminderAudience,
  window: ReminderWindow,
  appointment: ReminderAppointment,
): MailMessage {
  const name = recipient.firstName?.trim() || recipient.email.split('@')[0];
  const intro =
    audience === 'buyer'
      ? `le contrôle mécanique de votre véhicule a lieu ${WHEN[window]}.`
      : `vous avez un contrôle mécanique ${WHEN[window]}.`;
  const details: [string, string][] = [
    ['Date', appointment.date],
    ['Heure', appointment.time],
    ['Véhicule', appointment.vehicle],
    ['Adresse', appointment.address],
  ];
  const subject = SUBJECTS[audience][window];
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Arial, sans-serif; color: #1f2937; max-width: 560px; margin: auto;">
<h1 style="color: #1d4ed8; font-size: 20px;">eMecano</h1>
<p>Bonjour ${escapeHtml(name)},</p>
<p>Rappel : ${intro}</p>
<ul>${details.map(([label, value]) => `<li><strong>${label} :</strong> ${escapeHtml(value)}</li>`).join('')}</ul>
</body></html>`;
  const text = [
    `Bonjour ${name},`,
    `Rappel : ${intro}`,
    ...details.map(([label, value]) => `${label} : ${value}`),
  ].join('\n');
  return { to: recipient.email, subject, html, text };
}
