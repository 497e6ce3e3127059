import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { settleWithin } from '../../common/concurrency/settle-within';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { RedisConnection } from '../../common/redis/redis-connection';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { SchedulerStatus } from '../../scheduling/scheduler-status';
import { SchedulerHealth, type SchedulerHealthBody } from './scheduler-health';

const REDIS_PING_TIMEOUT_MS = 2_000;
/** An unreachable database must not hold the probe for the pool's 30 s connection timeout. */
const DATABASE_TIMEOUT_MS = 3_000;

type HealthBody = Record<'status' | 'database' | 'redis', string> & { scheduler?: string };

/**
 * `GET /health` (identity-platform §2.4 with the HEAD semantics of §10): the database decides between
 * 200 and 503; Redis or the scheduler being down only degrades the answer.
 */
@ApiTags('platform')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scheduler: SchedulerStatus,
    private readonly redis: RedisConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedulerHealth: SchedulerHealth,
  ) {}

  @Get()
  @RateLimit('health')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Service status' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthBody> {
    if (!(await this.databaseAnswers())) {
      response.status(503);
      return { status: 'unhealthy', database: 'disconnected', redis: 'unknown' };
    }
    const redisUp = await this.redis.ping(REDIS_PING_TIMEOUT_MS);
    const schedulerUp = this.scheduler.state() === 'running';
    if (this.config.isDevelopment) {
      return {
        status: 'ok',
        database: 'connected',
        redis: redisUp ? 'connected' : 'unavailable',
        scheduler: this.scheduler.state(),
      };
    }
    return {
      status: redisUp && schedulerUp ? 'ok' : 'degraded',
      database: 'ok',
      redis: redisUp ? 'ok' : 'error',
      scheduler: schedulerUp ? 'ok' : 'error',
    };
  }

  /**
   * The scheduler in detail: whether this process fires the triggers, and when each job last
   * succeeded in any instance. Apart from /health, whose body the existing clients fix (OPS-01).
   */
  @Get('scheduler')
  @RateLimit('health')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Scheduler triggers in this process and the last outcome of each job' })
  async checkScheduler(
    @Res({ passthrough: true }) response: Response,
  ): Promise<SchedulerHealthBody | HealthBody> {
    if (!(await this.databaseAnswers())) {
      response.status(503);
      return { status: 'unhealthy', database: 'disconnected', redis: 'unknown' };
    }
    return this.schedulerHealth.check();
  }

  private databaseAnswers(): Promise<boolean> {
    const query = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return settleWithin(query, DATABASE_TIMEOUT_MS, false);
  }
}
