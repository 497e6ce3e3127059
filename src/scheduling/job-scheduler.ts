import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { JobRegistry } from './job-registry';
import { JobRunner } from './job-runner';

/**
 * Fires each job on its `@Job` schedule, in processes that run the triggers (JOBS_ENABLED). A run
 * still going when the next tick comes is not started twice (waitForCompletion); across processes
 * the job's Redis lock lets one of them do the tick's work (JobRunner.runPeriodic). ScheduleModule
 * stops the triggers at shutdown, and JobRunner waits for the batch in flight.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly registry: JobRegistry,
    private readonly runner: JobRunner,
    private readonly schedules: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    for (const { name, schedule } of this.registry.definitions()) {
      if (!schedule) continue;
      const trigger = CronJob.from({
        cronTime: schedule,
        timeZone: 'UTC',
        waitForCompletion: true,
        // JobRunner has logged and counted a failed run; nothing is left to do with the error here.
        onTick: () =>
          this.runner.runPeriodic(name).then(
            () => undefined,
            () => undefined,
          ),
        start: true,
        name,
      });
      this.schedules.addCronJob(name, trigger);
    }
  }
}
