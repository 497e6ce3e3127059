import { Global, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { DeliveryQueue } from '../delivery/delivery-queue';
import { MAIL_QUEUE, type MailMessage } from './mail-message';
import { Mailer } from './mailer';

/** The only way modules send e-mail: enqueued in their transaction, delivered after commit. */
@Injectable()
export class MailOutbox implements OnModuleInit {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly mailer: Mailer,
  ) {}

  onModuleInit(): void {
    this.queue.register<MailMessage>(MAIL_QUEUE, async (message) => {
      await this.mailer.send(message);
      this.logger.log({ event: 'email_sent', to: message.to, subject: message.subject });
    });
  }

  enqueue(manager: EntityManager, message: MailMessage): Promise<void> {
    return this.queue.enqueue(manager, MAIL_QUEUE, message);
  }
}

@Global()
@Module({ providers: [Mailer, MailOutbox], exports: [MailOutbox] })
export class MailModule {}
