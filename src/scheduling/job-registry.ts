import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { JOB_NAME_METADATA, type JobName, type ScheduledJob } from './job';

/** Finds every `@Job(name)` provider of the application at start, by name. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly jobs = new Map<string, ScheduledJob>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const name = this.reflector.get<JobName | undefined>(JOB_NAME_METADATA, wrapper.metatype);
      if (!name) continue;
      if (this.jobs.has(name)) throw new Error(`Two providers implement the job ${name}`);
      this.jobs.set(name, wrapper.instance as ScheduledJob);
    }
  }

  get(name: string): ScheduledJob | undefined {
    return this.jobs.get(name);
  }

  names(): string[] {
    return [...this.jobs.keys()].sort();
  }
}
