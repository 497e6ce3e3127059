import { Controller, Get, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { CurrentMechanic, RequireRole } from '../../identity/auth/auth.decorators';
import { type MechanicAccountState } from '../../identity/domain/mechanic-accounts';
import { GenerateReferralCodeCommand } from '../commands/generate-referral-code/generate-referral-code.command';
import { GetMyReferralCodeQuery } from '../queries/get-my-referral-code/get-my-referral-code.query';
import { ValidateReferralCodeQuery } from '../queries/validate-referral-code/validate-referral-code.query';
import { ReferralCodeParam } from './referral.requests';

/**
 * Referral codes (messaging-reports §2.4, §3.4): an active mechanic owns at most one; anyone may ask
 * whether a code exists. Codes are only counted: no reward exists (§9.16).
 */
@ApiTags('referrals')
@Controller('referrals')
export class ReferralsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** 201 whether the code is created or already existed (§2.4). */
  @Post('generate')
  @RequireRole('mechanic')
  @RateLimit('referral_generate')
  generate(@CurrentMechanic() mechanic: MechanicAccountState) {
    return this.commands.execute(new GenerateReferralCodeCommand(mechanic.profileId));
  }

  @Get('my-code')
  @RequireRole('mechanic')
  @RateLimit('mechanic')
  myCode(@CurrentMechanic() mechanic: MechanicAccountState) {
    return this.queries.execute(new GetMyReferralCodeQuery(mechanic.profileId));
  }

  @Get('validate/:code')
  @RateLimit('auth')
  validate(@Param() params: ReferralCodeParam) {
    return this.queries.execute(new ValidateReferralCodeQuery(params.code));
  }
}
