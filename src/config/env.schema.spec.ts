import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from './env.schema';

const SECRET_NAMES = [
  'JWT_SECRET',
  'CHECK_IN_HMAC_KEY',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'R2_ACCESS_KEY_ID',
  'R2_SECRET_ACCESS_KEY',
  'RESEND_API_KEY',
  'SMTP_URL',
  'SENTRY_DSN',
  'METRICS_API_KEY',
];

function readEnvExample(): Map<string, string> {
  const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return new Map(entries);
}

describe('.env.example', () => {
  const example = readEnvExample();

  it('C-003: lists exactly the variables of the env schema, no more, no fewer', () => {
    expect([...example.keys()].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('C-003: holds no usable secret: every secret is an empty placeholder', () => {
    for (const name of SECRET_NAMES) expect({ name, value: example.get(name) }).toEqual({ name, value: '' });
  });

  it('C-003: includes METRICS_API_KEY= (empty)', () => {
    expect(example.get('METRICS_API_KEY')).toBe('');
  });

  it('parses with the schema once a JWT secret is supplied', () => {
    const result = envSchema.safeParse({ ...Object.fromEntries(example), JWT_SECRET: 'x'.repeat(40) });
    expect(result.success).toBe(true);
  });
});
