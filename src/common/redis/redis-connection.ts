import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { createRedisClient } from './redis';

/** Owns the process's Redis client (none when REDIS_URL is empty) and closes it at shutdown. */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client: Redis | null;
  private readonly logger = new Logger('Redis');

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = config.REDIS_URL ? createRedisClient(config.REDIS_URL) : null;
    // Connection errors are expected during an outage; callers fall back, so only note them.
    this.client?.on('error', (error: Error) =>
      this.logger.debug({ event: 'redis_error', message: error.message }),
    );
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }
}
