import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { SchedulerHealth } from './scheduler-health';

@Module({ controllers: [HealthController], providers: [SchedulerHealth] })
export class HealthModule {}
