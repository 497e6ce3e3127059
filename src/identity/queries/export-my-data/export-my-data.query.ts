import { Query } from '@nestjs/cqrs';

export class ExportMyDataQuery extends Query<Record<string, unknown>> {
  constructor(readonly userId: string) {
    super();
  }
}
