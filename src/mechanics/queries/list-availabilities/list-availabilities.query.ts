import { Query } from '@nestjs/cqrs';
import { type AvailabilityResponse } from '../../http/mechanic.responses';
import { type ListAvailabilitiesParams } from '../../http/mechanics.requests';

export class ListAvailabilitiesQuery extends Query<AvailabilityResponse[]> {
  constructor(readonly parameters: ListAvailabilitiesParams) {
    super();
  }
}
