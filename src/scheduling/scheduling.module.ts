import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { JobLock } from './job-lock';
import { JobRegistry } from './job-registry';
import { JobRunner } from './job-runner';
import { JobScheduler } from './job-scheduler';
import { JobStatusStore } from './job-status.store';
import { SchedulerStatus } from './scheduler-status';

/**
 * Job infrastructure. The schedules (`@Job(name, cron)`) fire only where the triggers are on, i.e.
 * when JOBS_ENABLED is true; the CLI and tests call JobRunner directly either way.
 */
@Global()
@Module({})
export class SchedulingModule {
  static forRoot(options: { triggersEnabled: boolean }): DynamicModule {
    return {
      module: SchedulingModule,
      imports: [DiscoveryModule, ...(options.triggersEnabled ? [ScheduleModule.forRoot()] : [])],
      providers: [
        JobRegistry,
        JobRunner,
        JobLock,
        JobStatusStore,
        SchedulerStatus,
        ...(options.triggersEnabled ? [JobScheduler] : []),
      ],
      exports: [JobRunner, JobRegistry, JobStatusStore, SchedulerStatus],
    };
  }
}
