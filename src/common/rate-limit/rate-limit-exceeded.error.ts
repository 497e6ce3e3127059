/** 429 `{"error": "Rate limit exceeded: 5 per 1 minute"}`: the original limiter's body, key `error`. */
export class RateLimitExceededError extends Error {
  constructor(readonly description: string) {
    super(`Rate limit exceeded: ${description}`);
    this.name = 'RateLimitExceededError';
  }
}
