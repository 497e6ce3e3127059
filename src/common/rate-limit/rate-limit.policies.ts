type Period = 'second' | 'minute' | 'hour';

export interface Limit {
  readonly limit: number;
  readonly per: Period;
}

interface Policy {
  /** APP_ENV=development. */
  readonly dev: Limit;
  /** staging and production. */
  readonly prod: Limit;
}

const perMinute = (limit: number): Limit => ({ limit, per: 'minute' });
const same = (limit: Limit): Policy => ({ dev: limit, prod: limit });

/**
 * Named limits of identity-platform §5 (and the other areas' cross-references). Routes choose one
 * with `@RateLimit('name')`; routes that choose none get `default`.
 */
export const RATE_LIMIT_POLICIES = {
  default: { dev: perMinute(200), prod: perMinute(60) },
  auth: { dev: perMinute(30), prod: perMinute(5) },
  /** `LIST` of the other areas: paginated reads. */
  list: { dev: perMinute(100), prod: perMinute(30) },
  resend_verification: { dev: perMinute(10), prod: perMinute(2) },
  logout: same(perMinute(10)),
  mark_read: same(perMinute(60)),
  forgot_password: same(perMinute(3)),
  export: { dev: perMinute(30), prod: { limit: 2, per: 'hour' } },
  /** Mechanic account writes and stats (identity §5). */
  mechanic: same(perMinute(30)),
  /** Multipart uploads of the mechanic profile. */
  mechanic_upload: same(perMinute(10)),
  admin: same(perMinute(30)),
  health: same(perMinute(60)),
  metrics: same(perMinute(30)),
  /** bookings-payments §3.0: Connect onboarding, the Express dashboard link, the Stripe webhook. */
  stripe_onboarding: same({ limit: 10, per: 'hour' }),
  stripe_dashboard: same(perMinute(30)),
  stripe_webhook: same(perMinute(100)),
  /** bookings-payments §3.0: accept, refuse, cancel and check-in. */
  booking_decision: same(perMinute(10)),
  /** bookings-payments §3.6 `CODE_ENTRY`: enter-code, on top of the 5 attempts per code (I-8). */
  code_entry: { dev: perMinute(10), prod: perMinute(3) },
  /** bookings-payments §3.0: check-out, a multipart upload with a PDF render. */
  check_out: same({ limit: 10, per: 'hour' }),
  /** bookings-payments §3.0: creating, reading and tracking bookings. */
  booking_create: same(perMinute(5)),
  booking_read: same(perMinute(60)),
  location_update: same(perMinute(60)),
  location_read: same(perMinute(120)),
  /** messaging-reports §2.1: the templates and a booking's conversation; sending a message. */
  message_read: same(perMinute(60)),
  message_send: same(perMinute(30)),
  /** messaging-reports §2.5: the receipt, its download token and the download. */
  receipt: same(perMinute(10)),
  /** bookings-payments §3.9: validation with dispute photos. */
  validate_with_photos: same(perMinute(5)),
  /** messaging-reports §2.3 and §2.4: writing a review, generating a referral code. */
  review_create: same(perMinute(10)),
  referral_generate: same({ limit: 10, per: 'hour' }),
} as const satisfies Record<string, Policy>;

export type RateLimitPolicyName = keyof typeof RATE_LIMIT_POLICIES;

const PERIOD_MS: Record<Period, number> = { second: 1_000, minute: 60_000, hour: 3_600_000 };

export function windowMs(limit: Limit): number {
  return PERIOD_MS[limit.per];
}

/** The original limiter's wording: "5 per 1 minute". */
export function describeLimit(limit: Limit): string {
  return `${limit.limit} per 1 ${limit.per}`;
}
