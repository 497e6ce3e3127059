import { Command } from '@nestjs/cqrs';

export interface WebhookAnswer {
  status: 'ok' | 'already_processed';
}

export class ProcessStripeWebhookCommand extends Command<WebhookAnswer> {
  constructor(
    /** The bytes Stripe signed, unparsed. */
    readonly rawBody: Buffer,
    readonly signatureHeader: string | undefined,
  ) {
    super();
  }
}
