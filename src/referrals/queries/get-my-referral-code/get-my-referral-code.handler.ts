import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { referralCodeResponse, type ReferralCodeResponse } from '../../http/referral.response';
import { ReferralCodeEntity } from '../../persistence/referral-code.entity';
import { GetMyReferralCodeQuery } from './get-my-referral-code.query';

/** GET /referrals/my-code (messaging-reports §2.4): the owner sees how often the code was used. */
@QueryHandler(GetMyReferralCodeQuery)
export class GetMyReferralCodeHandler implements IQueryHandler<GetMyReferralCodeQuery> {
  constructor(@InjectRepository(ReferralCodeEntity) private readonly codes: Repository<ReferralCodeEntity>) {}

  async execute({ mechanicProfileId }: GetMyReferralCodeQuery): Promise<ReferralCodeResponse> {
    const code = await this.codes.findOneBy({ mechanicId: mechanicProfileId });
    if (!code)
      throw new DomainError('referral_code_not_found', 'No referral code found. Generate one first.');
    return referralCodeResponse(code);
  }
}
