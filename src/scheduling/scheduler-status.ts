import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/load-config';

export type SchedulerState = 'running' | 'stopped';

/** Whether this process fires the cron triggers: on unless JOBS_ENABLED=false, off once shutting down. */
@Injectable()
export class SchedulerStatus implements OnApplicationShutdown {
  private shutDown = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  state(): SchedulerState {
    return this.config.JOBS_ENABLED && !this.shutDown ? 'running' : 'stopped';
  }

  onApplicationShutdown(): void {
    this.shutDown = true;
  }
}
