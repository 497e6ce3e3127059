import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { Clock, SystemClock } from './clock/clock';
import { ConnectionDrain } from './http/connection-drain';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { RequestValidationPipe } from './http/request-validation.pipe';
import { RouteTable } from './http/route-table';
import { UnreadBodyLinger } from './http/unread-body-linger';
import { FailoverThrottlerStorage } from './rate-limit/failover-throttler.storage';
import { RateLimitInterceptor } from './rate-limit/rate-limit.interceptor';
import { RedisConnection } from './redis/redis-connection';

/** Cross-cutting providers: clock, Redis, the error contract, validation and rate limiting. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(options: { clock?: Clock }): DynamicModule {
    return {
      module: CommonModule,
      providers: [
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        RedisConnection,
        FailoverThrottlerStorage,
        RequestValidationPipe,
        RouteTable,
        ConnectionDrain,
        UnreadBodyLinger,
        { provide: APP_PIPE, useExisting: RequestValidationPipe },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
      ],
      exports: [Clock, RedisConnection, FailoverThrottlerStorage, ConnectionDrain, UnreadBodyLinger],
    };
  }
}
