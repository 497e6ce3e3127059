import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { createRedisClient, pingRedis } from './redis';

/**
 * Owns the process's Redis client (none when REDIS_URL is empty). The client connects only once a
 * probe has shown Redis answers, so an unreachable Redis costs nothing but the probe.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client: Redis | null;
  private readonly logger = new Logger('Redis');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = config.REDIS_URL ? createRedisClient(config.REDIS_URL) : null;
    // Connection errors are expected during an outage; callers fall back, so only note them.
    this.client?.on('error', (error: Error) =>
      this.logger.debug({ event: 'redis_error', message: error.message }),
    );
  }

  /** PING on a fresh connection: is Redis answering right now? */
  ping(timeoutMs: number): Promise<boolean> {
    return this.config.REDIS_URL ? pingRedis(this.config.REDIS_URL, timeoutMs) : Promise.resolve(false);
  }

  /** Connects the shared client if Redis answers a PING within `timeoutMs`; false otherwise. */
  async connectIfReachable(timeoutMs: number): Promise<boolean> {
    if (!this.client || !(await this.ping(timeoutMs))) return false;
    try {
      await this.client.connect();
      return true;
    } catch {
      this.client.disconnect();
      return false;
    }
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }
}
