/**
 * M-011: no log line may carry an e-mail address, a phone number, a password, a token or an
 * Authorization header. Values are cleaned by key (secrets) and by content (addresses, numbers and
 * tokens wherever they appear, including inside messages and URLs).
 */

import { EventEmitter } from 'node:events';

const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|^code$|otp|phone|refresh/i;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
/** International (+33 6 12 34 56 78) and French national (06 12 34 56 78) forms, with separators. */
const PHONE = /(?<![\w.])(?:\+\d{1,3}[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?![\w.])/g;
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
const SECRET_QUERY_PARAM = /([?&](?:token|code|password|key)=)[^&#\s]*/gi;
const PASSWORD_IN_TEXT = /\b(password|passwd|mot de passe)(\s*[:=]\s*|\s+)\S+/gi;
const MAX_DEPTH = 8;

export const REDACTED = '[redacted]';

/** `jean.dupont@example.fr` → `j***@example.fr`, the masked form the spec allows. */
export function maskEmail(address: string): string {
  const match = /^(.)[^@]*@(.+)$/.exec(address);
  return match ? `${match[1]}***@${match[2]}` : '***';
}

export function redactText(text: string): string {
  return text
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(SECRET_QUERY_PARAM, `$1${REDACTED}`)
    .replace(PASSWORD_IN_TEXT, `$1$2${REDACTED}`)
    .replace(EMAIL, (_whole, first: string, domain: string) => `${first}***@${domain}`)
    .replace(PHONE, REDACTED);
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error) return redactError(value, depth);
  // Live streams (pino-http's raw request and response, sockets) reach this formatter before the
  // serializers reduce them to a few redacted fields; walking them costs a quarter of a request.
  if (value instanceof EventEmitter) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] =
      SECRET_KEY.test(key) && item !== null && item !== undefined && typeof item !== 'boolean'
        ? REDACTED
        : redactValue(item, depth + 1);
  }
  return result;
}

function redactError(error: Error, depth: number): Record<string, unknown> {
  const own = redactValue({ ...error }, depth + 1) as Record<string, unknown>;
  return {
    ...own,
    type: error.name,
    message: redactText(error.message),
    stack: error.stack ? redactText(error.stack) : undefined,
  };
}
