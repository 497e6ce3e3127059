import { Command } from '@nestjs/cqrs';
import { type ReferralCodeResponse } from '../../http/referral.response';

export class GenerateReferralCodeCommand extends Command<ReferralCodeResponse> {
  constructor(readonly mechanicProfileId: string) {
    super();
  }
}
