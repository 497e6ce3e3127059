import { Query } from '@nestjs/cqrs';
import { type ReferralCodeResponse } from '../../http/referral.response';

export class GetMyReferralCodeQuery extends Query<ReferralCodeResponse> {
  constructor(readonly mechanicProfileId: string) {
    super();
  }
}
