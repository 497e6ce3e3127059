import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const VERIFICATION_CODE_TTL_MS = 24 * 3_600_000;
export const MAX_VERIFICATION_ATTEMPTS = 5;

/** Six digits drawn uniformly from 000000–999999 with a CSPRNG. */
export function newVerificationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Only HMAC-SHA256(JWT_SECRET, code) is stored: 64 hex characters (N27). */
export function hashVerificationCode(secret: string, code: string): string {
  return createHmac('sha256', secret).update(code).digest('hex');
}

export function verificationCodeMatches(secret: string, code: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const given = Buffer.from(hashVerificationCode(secret, code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
