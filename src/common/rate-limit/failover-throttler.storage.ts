import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { type ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type Redis from 'ioredis';
import { RedisConnection } from '../redis/redis-connection';

const STARTUP_PING_TIMEOUT_MS = 500;

/**
 * Counters live in Redis when it answered a PING at start (shared by every instance, whatever its
 * URL: H-001), in process memory otherwise. A later Redis failure degrades to memory for the calls
 * that fail, with a warning, rather than turning requests into 500s (N19); Redis is used again once
 * the client has reconnected.
 */
@Injectable()
export class FailoverThrottlerStorage implements ThrottlerStorage, OnModuleInit {
  private readonly logger = new Logger('RateLimiter');
  private readonly memory = new ThrottlerStorageService();
  private shared: ThrottlerStorageRedisService | null = null;
  private degraded = false;

  private readonly redis: Redis | null;

  constructor(private readonly connection: RedisConnection) {
    this.redis = connection.client;
  }

  get backend(): 'redis' | 'memory' {
    return this.shared && this.redis?.status === 'ready' ? 'redis' : 'memory';
  }

  async onModuleInit(): Promise<void> {
    if (this.redis && (await this.connection.connectIfReachable(STARTUP_PING_TIMEOUT_MS))) {
      this.shared = new ThrottlerStorageRedisService(this.redis);
      this.logger.log({ event: 'rate_limiter_storage', backend: 'redis' });
    } else {
      this.logger.warn({
        event: 'rate_limiter_storage',
        backend: 'memory',
        reason: 'redis_unreachable_at_start',
      });
    }
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (this.backend === 'redis' && this.shared) {
      try {
        const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
        this.degraded = false;
        return record;
      } catch (error) {
        this.warnDegraded(error);
      }
    } else if (this.shared) {
      this.warnDegraded(new Error(`redis status ${this.redis?.status}`));
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  private warnDegraded(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn({ event: 'rate_limiter_memory_fallback', err: error });
  }
}
