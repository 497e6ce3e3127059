import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Request } from 'express';
import { type Observable } from 'rxjs';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { validateRouteInputs } from '../http/request-inputs';
import { RequestValidationPipe } from '../http/request-validation.pipe';
import { clientIp } from './client-ip';
import { FailoverThrottlerStorage } from './failover-throttler.storage';
import { RATE_LIMIT_POLICY } from './rate-limit.decorator';
import { RateLimitExceededError } from './rate-limit-exceeded.error';
import {
  describeLimit,
  RATE_LIMIT_POLICIES,
  type RateLimitPolicyName,
  windowMs,
} from './rate-limit.policies';

/**
 * Per-endpoint, per-client-IP fixed-window limits. It runs as an interceptor so that every guard
 * (authentication, roles) has already passed, and it validates the route's inputs before counting:
 * a request refused for auth or validation never spends quota (identity-platform §0, order of checks).
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly storage: FailoverThrottlerStorage,
    private readonly validation: RequestValidationPipe,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const policyName =
      this.reflector.getAllAndOverride<RateLimitPolicyName | undefined>(RATE_LIMIT_POLICY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'default';
    const policy = RATE_LIMIT_POLICIES[policyName];
    const limit = this.config.isDevelopment ? policy.dev : policy.prod;

    await validateRouteInputs(context, this.validation);

    const request = context.switchToHttp().getRequest<Request>();
    const endpoint = `${context.getClass().name}.${context.getHandler().name}`;
    const key = `ratelimit:${endpoint}:${clientIp(request, this.config.TRUSTED_PROXY_COUNT)}`;
    const ttl = windowMs(limit);
    const record = await this.storage.increment(key, ttl, limit.limit, ttl, policyName);
    if (record.totalHits > limit.limit || record.isBlocked)
      throw new RateLimitExceededError(describeLimit(limit));
    return next.handle();
  }
}
