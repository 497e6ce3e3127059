import { Logger, type Provider } from '@nestjs/common';
import { getToken } from '@willsoto/nestjs-prometheus';
import { type Histogram } from 'prom-client';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { METRIC } from '../../observability/metrics/metrics';
import { PaymentGateway } from '../domain/payment-gateway';
import { DevPaymentGateway } from './dev-payment-gateway';
import { StripePaymentGateway } from './stripe-payment-gateway';

/**
 * Stripe whenever a secret key is configured; the in-memory development gateway otherwise, which
 * the configuration only allows in development (C-010 refuses an empty key elsewhere).
 */
export const paymentGatewayProvider: Provider = {
  provide: PaymentGateway,
  inject: [APP_CONFIG, getToken(METRIC.stripeCallDuration)],
  useFactory: (config: AppConfig, latency: Histogram<string>): PaymentGateway => {
    const development = new DevPaymentGateway();
    if (config.STRIPE_SECRET_KEY) {
      return new StripePaymentGateway(
        {
          secretKey: config.STRIPE_SECRET_KEY,
          apiUrl: config.STRIPE_API_URL,
          refreshUrl: config.STRIPE_REFRESH_URL,
          returnUrl: config.STRIPE_RETURN_URL,
        },
        latency,
        development,
      );
    }
    new Logger('Payments').warn({
      event: 'development_payment_gateway',
      warning:
        'STRIPE_SECRET_KEY is empty: payments are SIMULATED in memory (pi_dev_…, acct_dev_…); no money moves and Stripe is never called',
    });
    return development;
  },
};
