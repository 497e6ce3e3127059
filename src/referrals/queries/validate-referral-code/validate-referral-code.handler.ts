import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ReferralCodeEntity } from '../../persistence/referral-code.entity';
import { ValidateReferralCodeQuery } from './validate-referral-code.query';

/** GET /referrals/validate/{code}: an exact, case-sensitive match, and nothing about why not (SEC-018). */
@QueryHandler(ValidateReferralCodeQuery)
export class ValidateReferralCodeHandler implements IQueryHandler<ValidateReferralCodeQuery> {
  constructor(@InjectRepository(ReferralCodeEntity) private readonly codes: Repository<ReferralCodeEntity>) {}

  async execute({ code }: ValidateReferralCodeQuery): Promise<{ valid: boolean }> {
    return { valid: await this.codes.existsBy({ code }) };
  }
}
