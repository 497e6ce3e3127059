import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { drawReferralCode } from '../../domain/referral-code';
import { referralCodeResponse, type ReferralCodeResponse } from '../../http/referral.response';
import { ReferralCodeEntity } from '../../persistence/referral-code.entity';
import { GenerateReferralCodeCommand } from './generate-referral-code.command';

const MAX_DRAWS = 10;

/**
 * POST /referrals/generate (messaging-reports §2.4, §3.4): the mechanic's code, created on first
 * request. Each draw is inserted with ON CONFLICT DO NOTHING, which covers both unique keys: a taken
 * code means another draw, and a concurrent first generation for the same mechanic (a raw 500 in the
 * original, §9.18) means its winner's code is returned, so every caller gets the one code.
 */
@CommandHandler(GenerateReferralCodeCommand)
export class GenerateReferralCodeHandler implements ICommandHandler<GenerateReferralCodeCommand> {
  constructor(@InjectRepository(ReferralCodeEntity) private readonly codes: Repository<ReferralCodeEntity>) {}

  async execute({ mechanicProfileId }: GenerateReferralCodeCommand): Promise<ReferralCodeResponse> {
    const existing = await this.codes.findOneBy({ mechanicId: mechanicProfileId });
    if (existing) return referralCodeResponse(existing);
    for (let draw = 0; draw < MAX_DRAWS; draw++) {
      const created = await this.insertUnlessTaken(mechanicProfileId, drawReferralCode());
      if (created) return created;
      const winner = await this.codes.findOneBy({ mechanicId: mechanicProfileId });
      if (winner) return referralCodeResponse(winner);
    }
    throw new DomainError('referral_code_exhausted', 'Could not generate unique referral code');
  }

  private async insertUnlessTaken(mechanicId: string, code: string): Promise<ReferralCodeResponse | null> {
    const rows: { uses_count: number; created_at: Date }[] = await this.codes.query(
      `INSERT INTO referral_codes (code, mechanic_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING uses_count, created_at`,
      [code, mechanicId],
    );
    if (rows.length === 0) return null;
    return { code, uses_count: rows[0].uses_count, created_at: rows[0].created_at.toISOString() };
  }
}
