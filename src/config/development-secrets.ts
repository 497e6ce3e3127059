import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Secrets a development machine may generate for itself; none has a default in code (C-003). */
const GENERATED = ['JWT_SECRET', 'CHECK_IN_HMAC_KEY'] as const;

/**
 * Zero-config development: when APP_ENV is development (or unset) and a secret is missing, a random
 * one is generated once and kept in `file` (under the git-ignored `var/`) so that tokens survive a
 * restart. Returns the names it filled in, for a warning. Never used in staging or production.
 */
export function fillDevelopmentSecrets(env: NodeJS.ProcessEnv, file: string): string[] {
  if ((env.APP_ENV ?? 'development') !== 'development') return [];
  const missing = GENERATED.filter((name) => !env[name]);
  if (missing.length === 0) return [];
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  for (const name of missing) stored[name] ??= randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  for (const name of missing) env[name] = stored[name];
  return missing;
}
