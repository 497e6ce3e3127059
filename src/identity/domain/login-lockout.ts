import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { RedisConnection } from '../../common/redis/redis-connection';

const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const MAX_TRACKED_EMAILS = 10_000;

/**
 * Per-e-mail login lockout (identity §2.1-4): 5 failures within 15 minutes lock the address. Counted
 * in Redis when it is connected (shared by every instance: INCR then a 15-minute expiry, so the
 * window restarts at each failure), in process memory otherwise or when a Redis call fails.
 * Keys hold a hash of the address, never the address.
 */
@Injectable()
export class LoginLockout {
  private readonly logger = new Logger('LoginLockout');
  /** e-mail hash → failure times (ms); Map order doubles as least-recently-active order. */
  private readonly memory = new Map<string, number[]>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
  ) {}

  async isLocked(email: string): Promise<boolean> {
    const key = keyFor(email);
    const shared = await this.tryRedis(async (redis) => Number((await redis.get(key)) ?? 0));
    return (shared ?? this.recentFailures(key).length) >= MAX_FAILURES;
  }

  async recordFailure(email: string): Promise<void> {
    const key = keyFor(email);
    const stored = await this.tryRedis(async (redis) => {
      await redis.multi().incr(key).pexpire(key, WINDOW_MS).exec();
      return true;
    });
    if (stored) return;
    const failures = this.recentFailures(key);
    failures.push(this.clock.now().getTime());
    this.memory.delete(key);
    this.memory.set(key, failures);
    this.prune();
  }

  async clear(email: string): Promise<void> {
    const key = keyFor(email);
    this.memory.delete(key);
    await this.tryRedis((redis) => redis.del(key));
  }

  private recentFailures(key: string): number[] {
    const since = this.clock.now().getTime() - WINDOW_MS;
    return (this.memory.get(key) ?? []).filter((at) => at > since);
  }

  /** Stale entries go first, then the least recently active ones. */
  private prune(): void {
    if (this.memory.size <= MAX_TRACKED_EMAILS) return;
    for (const key of [...this.memory.keys()]) {
      if (this.recentFailures(key).length === 0) this.memory.delete(key);
    }
    for (const key of this.memory.keys()) {
      if (this.memory.size <= MAX_TRACKED_EMAILS) break;
      this.memory.delete(key);
    }
  }

  private async tryRedis<T>(
    operation: (redis: NonNullable<RedisConnection['client']>) => Promise<T>,
  ): Promise<T | null> {
    const client = this.redis.client;
    if (!client || client.status !== 'ready') return null;
    try {
      return await operation(client);
    } catch (error) {
      this.logger.warn({ event: 'login_lockout_memory_fallback', err: error });
      return null;
    }
  }
}

function keyFor(email: string): string {
  return `login_attempts:${createHash('sha256').update(email).digest('hex')}`;
}
