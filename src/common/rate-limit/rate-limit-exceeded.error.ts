/** 429 `{"error": "Rate limit exceeded: 5 per 1 minute"}`: the original limiter's body, key `error`. */
export class RateLimitExceededError extends Error {
  constructor(limit: string) {
    super(`Rate limit exceeded: ${limit}`);
    this.name = 'RateLimitExceededError';
  }
}
