import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';

export interface IssuedCheckInCode {
  /** Shown once, to the buyer (I-8). */
  readonly code: string;
  /** What `bookings.check_in_code` holds. */
  readonly hash: string;
}

/**
 * The check-in codes of §3.5/§3.6 with §12.4: 6 digits from a CSPRNG, stored only as
 * hex(HMAC-SHA256(CHECK_IN_HMAC_KEY, code)) (H-002). A keyed hash, because a plain hash of a
 * 6-digit code is reversed by trying the million candidates; the key is not the JWT secret, so
 * neither leak helps with the other.
 */
@Injectable()
export class CheckInCodes {
  private readonly key: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = config.CHECK_IN_HMAC_KEY;
  }

  issue(): IssuedCheckInCode {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    return { code, hash: this.hash(code) };
  }

  /** Constant time over the two digests (I-8), so the time taken says nothing about the stored hash. */
  matches(code: string, storedHash: string | null): boolean {
    if (storedHash === null) return false;
    const expected = Buffer.from(storedHash, 'hex');
    const given = Buffer.from(this.hash(code), 'hex');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private hash(code: string): string {
    return createHmac('sha256', this.key).update(code, 'utf8').digest('hex');
  }
}
