import { type ZodIssue } from 'zod';
import { envSchema, ORIGINAL_DEFAULT_DATABASE_URL, type Env } from './env.schema';

export interface AppConfig extends Env {
  /** staging and production: strict rules, production rate limits, generic errors. */
  readonly isProduction: boolean;
  readonly isDevelopment: boolean;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export interface LoadedConfig {
  config: AppConfig;
  warnings: string[];
}

/**
 * Validates the environment once, at boot. Names are case-insensitive (identity-platform §4); every
 * failure is collected so that an operator sees all of them in one start attempt.
 */
export function loadConfig(source: Record<string, string | undefined>): LoadedConfig {
  const parsed = envSchema.safeParse(upperCaseKeys(source));
  if (!parsed.success) throw new ConfigValidationError(parsed.error.issues.map(describeIssue));

  const isProduction = parsed.data.APP_ENV !== 'development';
  const config: AppConfig = { ...parsed.data, isProduction, isDevelopment: !isProduction };
  const problems: string[] = [];
  const warnings: string[] = [];
  const complain = (message: string) => (isProduction ? problems : warnings).push(message);

  // C-010: a Stripe key without a webhook secret would let unsigned webhooks through.
  if (config.STRIPE_SECRET_KEY && !config.STRIPE_WEBHOOK_SECRET) {
    complain('STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set');
  }
  if (config.CHECK_IN_HMAC_KEY && config.CHECK_IN_HMAC_KEY.length < 32) {
    problems.push('CHECK_IN_HMAC_KEY: must be at least 32 characters');
  }
  if (isProduction) problems.push(...productionProblems(config));
  if (isProduction && config.CORS_ORIGINS.length === 0) warnings.push('cors_origins_empty_in_production');
  else warnings.push(...developmentWarnings(config));

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return { config, warnings };
}

/** identity-platform §4 "Startup validation" 3, in its order, then the HEAD additions. */
function productionProblems(c: AppConfig): string[] {
  const problems: string[] = [];
  if (!c.DATABASE_URL) problems.push('DATABASE_URL is required outside development');
  else if (c.DATABASE_URL === ORIGINAL_DEFAULT_DATABASE_URL)
    problems.push('DATABASE_URL must not be the default URL');
  const expectedPrefix = c.APP_ENV === 'production' ? 'sk_live_' : 'sk_test_';
  if (!c.STRIPE_SECRET_KEY) problems.push('STRIPE_SECRET_KEY is required outside development');
  else if (!c.STRIPE_SECRET_KEY.startsWith(expectedPrefix)) {
    problems.push(`STRIPE_SECRET_KEY must start with ${expectedPrefix} when APP_ENV=${c.APP_ENV}`);
  }
  if (c.STRIPE_WEBHOOK_SECRET && c.STRIPE_WEBHOOK_SECRET.length < 20) {
    problems.push('STRIPE_WEBHOOK_SECRET must be at least 20 characters');
  }
  if (!c.SENTRY_DSN) problems.push('SENTRY_DSN is required outside development');
  if (!c.METRICS_API_KEY) problems.push('METRICS_API_KEY is required outside development');
  if (!c.CHECK_IN_HMAC_KEY) problems.push('CHECK_IN_HMAC_KEY is required outside development');
  if (!c.SMTP_URL && !c.RESEND_API_KEY)
    problems.push('SMTP_URL or RESEND_API_KEY is required outside development');
  if (!c.FRONTEND_URL.startsWith('https://'))
    problems.push('FRONTEND_URL must start with https:// outside development');
  return problems;
}

function developmentWarnings(c: AppConfig): string[] {
  const warnings: string[] = [];
  if (c.DATABASE_URL === ORIGINAL_DEFAULT_DATABASE_URL) warnings.push('DATABASE_URL is the default URL');
  if (!c.STRIPE_SECRET_KEY) warnings.push('STRIPE_SECRET_KEY is empty: Stripe calls will be mocked');
  // C-010's prefixes, as a warning here: a developer's machine holding a live key moves real money.
  else if (!c.STRIPE_SECRET_KEY.startsWith('sk_test_'))
    warnings.push('STRIPE_SECRET_KEY is not a sk_test_ key: development would move real money');
  if (!c.STRIPE_WEBHOOK_SECRET) warnings.push('stripe_webhook_secret_empty: Stripe webhooks will be refused');
  if (!c.SMTP_URL && !c.RESEND_API_KEY) warnings.push(`no SMTP_URL: e-mails are written to ${c.MAIL_DIR}`);
  if (!c.R2_ENDPOINT_URL)
    warnings.push(`R2_ENDPOINT_URL is empty: local storage fallback in ${c.STORAGE_DIR}`);
  return warnings;
}

function upperCaseKeys(source: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined) result[key.toUpperCase()] = value;
  }
  return result;
}

function describeIssue(issue: ZodIssue): string {
  const name = issue.path.join('.');
  const message =
    issue.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : issue.message;
  return `${name}: ${message}`;
}
