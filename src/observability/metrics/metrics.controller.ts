import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { type Response } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';

/**
 * `GET /metrics` (H-014): Prometheus text, behind `X-Metrics-Key` compared in constant time. Open
 * only in development when no key is set; outside development a missing key means 503.
 */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  @Get()
  @RateLimit('metrics')
  override async index(
    @Res({ passthrough: true }) response: Response,
    @Headers('x-metrics-key') key?: string,
  ): Promise<string> {
    this.authorise(key);
    return super.index(response);
  }

  private authorise(key: string | undefined): void {
    const expected = this.config.METRICS_API_KEY;
    if (!expected) {
      if (this.config.isProduction) throw new DomainError('metrics_unavailable', 'Metrics not available');
      return;
    }
    if (!key || !constantTimeEquals(key, expected))
      throw new DomainError('metrics_key_invalid', 'Invalid metrics API key');
  }
}

/** Digests have equal lengths, so the comparison takes the same time whatever key is sent. */
function constantTimeEquals(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
