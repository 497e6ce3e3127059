import { Command } from '@nestjs/cqrs';

export class DeleteAvailabilityCommand extends Command<void> {
  constructor(
    readonly profileId: string,
    readonly availabilityId: string,
  ) {
    super();
  }
}
