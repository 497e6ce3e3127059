import { Command } from '@nestjs/cqrs';
import { type AvailabilityResponse } from '../../http/mechanic.responses';
import { type CreateAvailabilityRequest } from '../../http/mechanics.requests';

export class CreateAvailabilityCommand extends Command<AvailabilityResponse> {
  constructor(
    readonly profileId: string,
    readonly slot: CreateAvailabilityRequest,
  ) {
    super();
  }
}
