import { type AppConfig, loadConfig } from '../../src/config/load-config';

export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';

/** Development defaults for tests: no Redis unless a test asks, proxies trusted so tests pick their IP. */
export const TEST_ENV: Record<string, string> = {
  APP_ENV: 'development',
  JWT_SECRET: TEST_JWT_SECRET,
  CHECK_IN_HMAC_KEY: 'test-check-in-hmac-key-long-enough-0123456789',
  REDIS_URL: '',
  TRUSTED_PROXY_COUNT: '1',
  STORAGE_DIR: 'var/test-uploads',
  MAIL_DIR: 'var/test-mail',
  // Nothing listens on the discard port: a test that pushes must start a FakeExpo.
  EXPO_PUSH_URL: 'http://127.0.0.1:9',
};

/** What staging/production demand, with harmless values. */
export const PRODUCTION_ENV: Record<string, string> = {
  APP_ENV: 'production',
  DATABASE_URL: 'postgresql://emecano:secret@db.internal:5432/emecano',
  STRIPE_SECRET_KEY: 'sk_live_test_dummy_key',
  STRIPE_WEBHOOK_SECRET: 'whsec_test_dummy_secret_0123456789',
  SENTRY_DSN: 'https://public@sentry.example/1',
  METRICS_API_KEY: 'metrics-key-for-tests',
  SMTP_URL: 'smtp://user:pass@127.0.0.1:2525',
  FRONTEND_URL: 'https://app.emecano.test',
  CORS_ORIGINS: 'https://app.emecano.fr',
};

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...TEST_ENV, ...overrides }).config;
}

export function productionTestConfig(overrides: Record<string, string> = {}): AppConfig {
  return testConfig({ ...PRODUCTION_ENV, ...overrides });
}
