import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OnboardMechanicHandler } from './commands/onboard-mechanic/onboard-mechanic.handler';
import { ConnectAccountClosures } from './connect/connect-account-closures';
import { ProcessStripeWebhookHandler } from './commands/process-stripe-webhook/process-stripe-webhook.handler';
import { PaymentGateway } from './domain/payment-gateway';
import { WebhookSignature } from './domain/stripe-event';
import { PaymentsController } from './http/payments.controller';
import { CleanupWebhookEventsJob } from './jobs/cleanup-webhook-events.job';
import { GetMechanicDashboardHandler } from './queries/get-mechanic-dashboard/get-mechanic-dashboard.handler';
import { paymentGatewayProvider } from './stripe/payment-gateway.provider';
import { StripeWebhookSignature } from './stripe/stripe-payment-gateway';
import { AccountUpdatedHandler } from './webhooks/account-updated.handler';
import { StripeEventHandlers } from './webhooks/stripe-event-handlers';

/**
 * Payments (bookings-payments §3.14–§3.16, §4): the one PaymentGateway every money movement goes
 * through, Stripe Connect onboarding, and the Stripe webhook with its handler registry. Other
 * modules import it for the gateway and declare their own `@HandlesStripeEvents` providers.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [PaymentsController],
  providers: [
    paymentGatewayProvider,
    { provide: WebhookSignature, useClass: StripeWebhookSignature },
    StripeEventHandlers,
    AccountUpdatedHandler,
    OnboardMechanicHandler,
    GetMechanicDashboardHandler,
    ProcessStripeWebhookHandler,
    CleanupWebhookEventsJob,
    ConnectAccountClosures,
  ],
  exports: [PaymentGateway, ConnectAccountClosures],
})
export class PaymentsModule {}
