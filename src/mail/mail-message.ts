export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export const MAIL_SENDER = 'eMecano <noreply@emecano.fr>';
export const MAIL_QUEUE = 'mail.send';
