import { SetMetadata } from '@nestjs/common';
import { type RateLimitPolicyName } from './rate-limit.policies';

export const RATE_LIMIT_POLICY = 'emecano:rate-limit-policy';

/** Chooses the named limit of a route (or of every route of a controller). */
export const RateLimit = (policy: RateLimitPolicyName) => SetMetadata(RATE_LIMIT_POLICY, policy);
