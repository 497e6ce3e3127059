import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/load-config';
import { MAIL_SENDER, type MailMessage } from './mail-message';

/**
 * Sends one e-mail through nodemailer: SMTP_URL, else Resend's SMTP relay with RESEND_API_KEY, else
 * (development) an `.eml` file under MAIL_DIR. Throws on failure: the delivery queue retries.
 */
@Injectable()
export class Mailer {
  private readonly transport: Transporter;
  private readonly writesFiles: boolean;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.writesFiles = !config.SMTP_URL && !config.RESEND_API_KEY;
    this.transport = config.SMTP_URL
      ? nodemailer.createTransport(config.SMTP_URL)
      : config.RESEND_API_KEY
        ? nodemailer.createTransport({
            host: 'smtp.resend.com',
            port: 465,
            secure: true,
            auth: { user: 'resend', pass: config.RESEND_API_KEY },
          })
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(message: MailMessage): Promise<void> {
    const info = (await this.transport.sendMail({ from: MAIL_SENDER, ...message })) as { message?: Buffer };
    if (this.writesFiles && info.message) {
      await mkdir(this.config.MAIL_DIR, { recursive: true });
      await writeFile(join(this.config.MAIL_DIR, `${Date.now()}-${randomUUID()}.eml`), info.message);
    }
  }
}
