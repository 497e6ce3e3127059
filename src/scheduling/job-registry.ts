import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { markedProviders } from '../common/discovery/marked-providers';
import { type JobDefinition, JobMarker, type ScheduledJob } from './job';

/** Finds every `@Job(name, schedule)` provider of the application at start, by name. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly jobs = new Map<string, { job: ScheduledJob; definition: JobDefinition }>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const { instance, mark } of markedProviders<ScheduledJob, JobDefinition>(
      this.discovery,
      JobMarker,
    )) {
      if (this.jobs.has(mark.name)) throw new Error(`Two providers implement the job ${mark.name}`);
      this.jobs.set(mark.name, { job: instance, definition: mark });
    }
  }

  get(name: string): ScheduledJob | undefined {
    return this.jobs.get(name)?.job;
  }

  definition(name: string): JobDefinition | undefined {
    return this.jobs.get(name)?.definition;
  }

  names(): string[] {
    return [...this.jobs.keys()].sort();
  }

  definitions(): JobDefinition[] {
    return [...this.jobs.values()].map(({ definition }) => definition);
  }
}
