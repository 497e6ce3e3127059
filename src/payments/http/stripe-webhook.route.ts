/** §4.8: Stripe posts here; the body is read raw (for the signature) and capped at 64 KiB, not 10 MB. */
export const STRIPE_WEBHOOK_PATH = '/payments/webhooks/stripe';
export const STRIPE_WEBHOOK_MAX_BYTES = 65_536;
