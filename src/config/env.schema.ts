import { z } from 'zod';

/**
 * The one environment schema (identity-platform §4 + runtime-contract). Every variable the service
 * reads is declared here; `.env.example` must list exactly these names (checked by env.schema.spec.ts).
 */

const WEAK_JWT_SECRETS = [
  'changeme',
  'change-me',
  'secret',
  'change-this-to-a-long-random-string-in-production',
];
const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
] as const;
/** The original's default URL: accepted in development (with a warning), refused in production. */
export const ORIGINAL_DEFAULT_DATABASE_URL = 'postgresql://emecano:emecano_password@localhost:5432/emecano';

const str = (fallback = '') => z.string().trim().default(fallback);
const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const money = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d{1,2})?$/, 'must be a decimal amount such as 40.00')
    .default(fallback);
const rate = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a decimal between 0 and 1')
    .default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const url = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => v === '' || URL.canParse(v), 'must be a URL');

/** `postgres://` and `postgresql://` (and the original's `postgresql+asyncpg://`) are the same thing. */
export function normaliseDatabaseUrl(raw: string): string {
  return raw.replace(/^postgresql\+asyncpg:\/\//, 'postgresql://').replace(/^postgres:\/\//, 'postgresql://');
}

export const envSchema = z.object({
  APP_ENV: z.enum(['development', 'staging', 'production']).default('development'),
  APP_DEBUG: bool(false),
  /** `auto`: readable lines in development, JSON lines elsewhere (benchmarks force `json`). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  PORT: int(8000, 1),
  APP_TIMEZONE: str('Europe/Paris').refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/Paris'),

  DATABASE_URL: str()
    .refine(
      (v) => v === '' || /^postgres(ql)?(\+asyncpg)?:\/\//.test(v),
      'must start with postgres:// or postgresql://',
    )
    .transform(normaliseDatabaseUrl),
  DB_POOL_SIZE: int(5, 1),
  DB_MAX_OVERFLOW: int(10, 1),
  REDIS_URL: url('redis://localhost:6379/0'),

  JWT_SECRET: z
    .string({ required_error: 'is required' })
    .min(32, 'must be at least 32 characters')
    .refine((v) => !WEAK_JWT_SECRETS.includes(v.toLowerCase()), 'is a known weak value'),
  JWT_ALGORITHM: z.enum(JWT_ALGORITHMS).default('HS256'),
  JWT_ACCESS_TOKEN_EXPIRE_MINUTES: int(15, 1),
  JWT_REFRESH_TOKEN_EXPIRE_DAYS: int(7, 1),
  CHECK_IN_HMAC_KEY: str(),

  STRIPE_SECRET_KEY: str(),
  STRIPE_WEBHOOK_SECRET: str(),
  STRIPE_API_URL: url('https://api.stripe.com'),
  STRIPE_REFRESH_URL: url('https://emecano.fr/stripe/refresh'),
  STRIPE_RETURN_URL: url('https://emecano.fr/stripe/return'),
  STRIPE_AUTH_MAX_ADVANCE_DAYS: int(6, 1),

  R2_ENDPOINT_URL: url(''),
  R2_ACCESS_KEY_ID: str(),
  R2_SECRET_ACCESS_KEY: str(),
  R2_BUCKET_NAME: str('emecano-storage'),
  R2_PUBLIC_URL: url(''),
  STORAGE_DIR: str('var/uploads'),

  SMTP_URL: url(''),
  RESEND_API_KEY: str(),
  MAIL_DIR: str('var/mail'),
  FRONTEND_URL: url('http://localhost:8081'),
  EXPO_PUSH_URL: url('https://exp.host'),

  SENTRY_DSN: str(),
  METRICS_API_KEY: str(),
  CORS_ORIGINS: str().transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  ),
  TRUSTED_PROXY_COUNT: int(0),
  JOBS_ENABLED: bool(true),

  BASE_INSPECTION_PRICE: money('40.00'),
  OBD_SUPPLEMENT: money('25.00'),
  PLATFORM_COMMISSION_RATE: rate('0.20'),
  TRAVEL_FEE_PER_KM: money('0.30'),
  PAYMENT_RELEASE_DELAY_HOURS: int(2),
  MECHANIC_ACCEPTANCE_TIMEOUT_HOURS: int(2, 1),
  /** Bookings the release and expiry jobs each handle at once per process (one connection each). */
  JOB_CONCURRENCY: int(5, 1),
  BOOKING_SLOT_DURATION_MINUTES: int(30, 1),
  BOOKING_BUFFER_ZONE_MINUTES: int(15),
  BOOKING_MINIMUM_ADVANCE_HOURS: int(2),
  BOOKING_CHECK_IN_TOLERANCE_MINUTES: int(30),
  MAX_CHECK_IN_CODE_ATTEMPTS: int(5, 1),
  CANCELLATION_FULL_REFUND_HOURS: int(24),
  CANCELLATION_PARTIAL_REFUND_HOURS: int(12),
});

export type Env = z.infer<typeof envSchema>;

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
