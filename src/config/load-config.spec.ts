import { ConfigValidationError, loadConfig } from './load-config';

const SECRET = 'a-perfectly-fine-secret-of-forty-characters';

const PRODUCTION: Record<string, string> = {
  APP_ENV: 'production',
  JWT_SECRET: SECRET,
  DATABASE_URL: 'postgresql://app:pw@db:5432/emecano',
  STRIPE_SECRET_KEY: 'sk_live_abc',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdefghij',
  SENTRY_DSN: 'https://k@sentry.example/1',
  METRICS_API_KEY: 'metrics-key',
  CHECK_IN_HMAC_KEY: 'c'.repeat(32),
  SMTP_URL: 'smtp://u:p@mail:587',
  FRONTEND_URL: 'https://emecano.fr',
  CORS_ORIGINS: 'https://emecano.fr',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults in development', () => {
    const { config } = loadConfig({ JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      APP_ENV: 'development',
      isDevelopment: true,
      isProduction: false,
      PORT: 8000,
      APP_TIMEZONE: 'Europe/Paris',
      JWT_ALGORITHM: 'HS256',
      JWT_ACCESS_TOKEN_EXPIRE_MINUTES: 15,
      BASE_INSPECTION_PRICE: '40.00',
      PLATFORM_COMMISSION_RATE: '0.20',
      TRUSTED_PROXY_COUNT: 0,
      JOBS_ENABLED: true,
      CORS_ORIGINS: [],
    });
  });

  it('accepts a complete production configuration', () => {
    expect(problemsOf(PRODUCTION)).toEqual([]);
  });

  it('reads variable names case-insensitively', () => {
    expect(
      loadConfig({ jwt_secret: SECRET, app_env: 'staging', ...lowerCased(PRODUCTION_STAGING) }).config
        .APP_ENV,
    ).toBe('staging');
  });

  it.each([
    ['postgres://u:p@h:5432/d', 'postgresql://u:p@h:5432/d'],
    ['postgresql://u:p@h:5432/d', 'postgresql://u:p@h:5432/d'],
    ['postgresql+asyncpg://u:p@h:5432/d', 'postgresql://u:p@h:5432/d'],
  ])('accepts and normalises DATABASE_URL %s', (given, expected) => {
    expect(loadConfig({ JWT_SECRET: SECRET, DATABASE_URL: given }).config.DATABASE_URL).toBe(expected);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', () => {
    expect(problemsOf({ JWT_SECRET: SECRET, DATABASE_URL: 'mysql://h/d' })).toEqual([
      'DATABASE_URL: must start with postgres:// or postgresql://',
    ]);
  });

  it('OPS-13(b): refuses a JWT_SECRET under 32 characters', () => {
    expect(problemsOf({ JWT_SECRET: 'short' })).toEqual(['JWT_SECRET: must be at least 32 characters']);
  });

  it('refuses a missing JWT_SECRET with a readable message', () => {
    expect(problemsOf({})).toEqual(['JWT_SECRET: is required']);
  });

  it.each([
    'change-this-to-a-long-random-string-in-production',
    'CHANGE-THIS-TO-A-LONG-RANDOM-STRING-IN-PRODUCTION',
  ])('OPS-13(c): refuses the known weak JWT_SECRET %s', (weak) => {
    expect(problemsOf({ JWT_SECRET: weak })).toEqual(['JWT_SECRET: is a known weak value']);
  });

  it('refuses JWT_ALGORITHM=none', () => {
    expect(problemsOf({ JWT_SECRET: SECRET, JWT_ALGORITHM: 'none' })[0]).toMatch(/^JWT_ALGORITHM: /);
  });

  it('OPS-13(g): refuses APP_ENV=prod', () => {
    expect(problemsOf({ JWT_SECRET: SECRET, APP_ENV: 'prod' })[0]).toMatch(/^APP_ENV: /);
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ JWT_SECRET: 'short', PORT: 'eighty', APP_TIMEZONE: 'Mars/Olympus' })).toHaveLength(3);
  });

  it('C-010 OPS-13(a): production refuses STRIPE_SECRET_KEY without STRIPE_WEBHOOK_SECRET', () => {
    expect(problemsOf({ ...PRODUCTION, STRIPE_WEBHOOK_SECRET: '' })).toContain(
      'STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set',
    );
  });

  it('C-010: development only warns about STRIPE_SECRET_KEY without STRIPE_WEBHOOK_SECRET', () => {
    const { warnings } = loadConfig({ JWT_SECRET: SECRET, STRIPE_SECRET_KEY: 'sk_test_abc' });
    expect(warnings).toContain('STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set');
  });

  it('C-010: development warns about a key that is not a test key, and not about a test key', () => {
    const live = loadConfig({
      JWT_SECRET: SECRET,
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    });
    const test = loadConfig({
      JWT_SECRET: SECRET,
      STRIPE_SECRET_KEY: 'sk_test_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    });
    const warning = 'STRIPE_SECRET_KEY is not a sk_test_ key: development would move real money';
    expect(live.warnings).toContain(warning);
    expect(test.warnings).not.toContain(warning);
  });

  it('C-010: staging and production refuse an empty key, so the development gateway exists only in development', () => {
    expect(problemsOf({ ...PRODUCTION, APP_ENV: 'staging', STRIPE_SECRET_KEY: '' })).toContain(
      'STRIPE_SECRET_KEY is required outside development',
    );
  });

  it('OPS-13(d): production refuses a sk_test_ key', () => {
    expect(problemsOf({ ...PRODUCTION, STRIPE_SECRET_KEY: 'sk_test_abc' })).toEqual([
      'STRIPE_SECRET_KEY must start with sk_live_ when APP_ENV=production',
    ]);
  });

  it('OPS-13(e): staging refuses a sk_live_ key', () => {
    expect(problemsOf({ ...PRODUCTION, APP_ENV: 'staging', STRIPE_SECRET_KEY: 'sk_live_abc' })).toEqual([
      'STRIPE_SECRET_KEY must start with sk_test_ when APP_ENV=staging',
    ]);
  });

  it('OPS-13(f): production refuses a webhook secret under 20 characters', () => {
    expect(problemsOf({ ...PRODUCTION, STRIPE_WEBHOOK_SECRET: 'whsec_short' })).toEqual([
      'STRIPE_WEBHOOK_SECRET must be at least 20 characters',
    ]);
  });

  it('OPS-13(f): production refuses a missing SENTRY_DSN', () => {
    expect(problemsOf({ ...PRODUCTION, SENTRY_DSN: '' })).toEqual([
      'SENTRY_DSN is required outside development',
    ]);
  });

  it('H-014: production refuses a missing METRICS_API_KEY', () => {
    expect(problemsOf({ ...PRODUCTION, METRICS_API_KEY: '' })).toEqual([
      'METRICS_API_KEY is required outside development',
    ]);
  });

  it('production refuses a missing or short CHECK_IN_HMAC_KEY', () => {
    expect(problemsOf({ ...PRODUCTION, CHECK_IN_HMAC_KEY: '' })).toEqual([
      'CHECK_IN_HMAC_KEY is required outside development',
    ]);
    expect(problemsOf({ ...PRODUCTION, CHECK_IN_HMAC_KEY: 'short' })).toEqual([
      'CHECK_IN_HMAC_KEY: must be at least 32 characters',
    ]);
  });

  it('production refuses a missing DATABASE_URL or the original default one', () => {
    expect(problemsOf({ ...PRODUCTION, DATABASE_URL: '' })).toEqual([
      'DATABASE_URL is required outside development',
    ]);
    expect(
      problemsOf({
        ...PRODUCTION,
        DATABASE_URL: 'postgresql://emecano:emecano_password@localhost:5432/emecano',
      }),
    ).toEqual(['DATABASE_URL must not be the default URL']);
  });

  it('production refuses a missing Stripe key, a missing mail transport and a non-https FRONTEND_URL', () => {
    expect(problemsOf({ ...PRODUCTION, STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '' })).toEqual([
      'STRIPE_SECRET_KEY is required outside development',
    ]);
    expect(problemsOf({ ...PRODUCTION, SMTP_URL: '' })).toEqual([
      'SMTP_URL or RESEND_API_KEY is required outside development',
    ]);
    expect(problemsOf({ ...PRODUCTION, FRONTEND_URL: 'http://emecano.fr' })).toEqual([
      'FRONTEND_URL must start with https:// outside development',
    ]);
  });

  it('warns when production has no CORS origins', () => {
    expect(loadConfig({ ...PRODUCTION, CORS_ORIGINS: '' }).warnings).toContain(
      'cors_origins_empty_in_production',
    );
  });

  it('splits CORS_ORIGINS on commas, trimmed, without empty entries', () => {
    expect(
      loadConfig({ ...PRODUCTION, CORS_ORIGINS: ' https://a.fr, ,https://b.fr ' }).config.CORS_ORIGINS,
    ).toEqual(['https://a.fr', 'https://b.fr']);
  });

  it('warns in development about what is mocked or stored locally', () => {
    const { warnings } = loadConfig({ JWT_SECRET: SECRET });
    expect(warnings).toEqual(
      expect.arrayContaining([
        'STRIPE_SECRET_KEY is empty: Stripe calls will be mocked',
        expect.stringContaining('stripe_webhook_secret_empty'),
        expect.stringContaining('R2_ENDPOINT_URL is empty'),
      ]),
    );
  });
});

const PRODUCTION_STAGING = { ...PRODUCTION, APP_ENV: 'staging', STRIPE_SECRET_KEY: 'sk_test_abc' };

function lowerCased(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key.toLowerCase(), value]));
}
