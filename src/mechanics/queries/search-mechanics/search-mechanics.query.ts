import { Query } from '@nestjs/cqrs';
import { type MechanicListItem } from '../../http/mechanic.responses';
import { type SearchMechanicsParams } from '../../http/mechanics.requests';

export class SearchMechanicsQuery extends Query<MechanicListItem[]> {
  constructor(readonly parameters: SearchMechanicsParams) {
    super();
  }
}
