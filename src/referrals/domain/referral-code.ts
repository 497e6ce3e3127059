import { randomInt } from 'node:crypto';

const PREFIX = 'EMECANO-';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const RANDOM_LENGTH = 6;

/**
 * messaging-reports §3.4: `EMECANO-` and 6 characters drawn uniformly from A–Z0–9 by the CSPRNG
 * (`randomInt` rejects biased draws, unlike a modulo of random bytes).
 */
export function drawReferralCode(): string {
  let suffix = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return PREFIX + suffix;
}
