import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type Request } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';

/**
 * H-014: `X-Metrics-Key` must equal METRICS_API_KEY, compared in constant time. Open only in
 * development when no key is set; outside development a missing key means 503. A guard, so a
 * refused scrape never spends rate-limit quota.
 */
@Injectable()
export class MetricsKeyGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.METRICS_API_KEY;
    if (!expected) {
      if (this.config.isProduction) throw new DomainError('metrics_unavailable', 'Metrics not available');
      return true;
    }
    const given = context.switchToHttp().getRequest<Request>().header('x-metrics-key');
    if (!given || !constantTimeEquals(given, expected)) {
      throw new DomainError('metrics_key_invalid', 'Invalid metrics API key');
    }
    return true;
  }
}

/** Digests have equal lengths, so the comparison takes the same time whatever key is sent. */
function constantTimeEquals(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
