import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { inTransaction } from '../../../database/transactions';
import { type StripeEvent, WebhookSignature } from '../../domain/stripe-event';
import { claimWebhookEvent } from '../../persistence/processed-webhook-events';
import { StripeEventHandlers } from '../../webhooks/stripe-event-handlers';
import { ProcessStripeWebhookCommand, type WebhookAnswer } from './process-stripe-webhook.command';

/** The placeholder of the original's example configuration: a deployment that forgot its secret. */
const PLACEHOLDER_SECRET_PREFIX = 'whsec_PLACEHOLDER';

/**
 * POST /payments/webhooks/stripe after the size guards (§4.8 steps 2–6): refuse when no secret is
 * configured, verify the signature over the raw bytes, then claim the event and apply it in one
 * transaction, so its effects happen exactly once (I-11).
 */
@CommandHandler(ProcessStripeWebhookCommand)
export class ProcessStripeWebhookHandler implements ICommandHandler<ProcessStripeWebhookCommand> {
  private readonly logger = new Logger('StripeWebhook');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly signature: WebhookSignature,
    private readonly handlers: StripeEventHandlers,
    private readonly clock: Clock,
  ) {}

  async execute({ rawBody, signatureHeader }: ProcessStripeWebhookCommand): Promise<WebhookAnswer> {
    const event = this.verify(rawBody, signatureHeader);
    let applied: boolean;
    try {
      applied = await inTransaction(this.dataSource, async (manager) => {
        if (!(await claimWebhookEvent(manager, event.id, this.clock.now()))) return false;
        await this.handlers.dispatch(manager, event);
        return true;
      });
    } catch (error) {
      // Rolled back with its deduplication row: a 5xx makes Stripe deliver it again.
      this.logger.error({
        event: 'stripe_webhook_failed',
        event_id: event.id,
        event_type: event.type,
        err: error,
      });
      throw new DomainError('webhook_processing_failed', 'Webhook processing failed');
    }
    this.logger.log({
      event: applied ? 'stripe_webhook_processed' : 'stripe_webhook_duplicate',
      event_id: event.id,
      event_type: event.type,
    });
    return { status: applied ? 'ok' : 'already_processed' };
  }

  private verify(rawBody: Buffer, signatureHeader: string | undefined): StripeEvent {
    const secret = this.config.STRIPE_WEBHOOK_SECRET;
    if (!secret) {
      throw new DomainError('webhook_not_configured', 'Webhook signature verification not configured');
    }
    if (this.config.isProduction && secret.startsWith(PLACEHOLDER_SECRET_PREFIX)) {
      this.logger.error({ event: 'stripe_webhook_secret_placeholder' });
      throw new DomainError('webhook_misconfigured', 'Webhook verification not configured');
    }
    const verification = this.signature.verify(rawBody, signatureHeader, secret);
    if (verification.status === 'invalid_signature')
      throw new DomainError('invalid_signature', 'Invalid signature');
    if (verification.status === 'invalid_payload')
      throw new DomainError('invalid_payload', 'Invalid payload');
    return verification.event;
  }
}
