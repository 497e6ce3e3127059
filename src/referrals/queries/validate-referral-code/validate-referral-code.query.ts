import { Query } from '@nestjs/cqrs';

export class ValidateReferralCodeQuery extends Query<{ valid: boolean }> {
  constructor(readonly code: string) {
    super();
  }
}
