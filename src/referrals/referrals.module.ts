import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferralRedemptions } from '../identity/commands/register-user/referral-redemptions';
import { GenerateReferralCodeHandler } from './commands/generate-referral-code/generate-referral-code.handler';
import { ReferralsController } from './http/referrals.controller';
import { ReferralCodeEntity } from './persistence/referral-code.entity';
import { ReferralCodesPersonalData } from './persistence/referral-codes.personal-data';
import { ReferralRedemptionsAdapter } from './persistence/referral-redemptions.adapter';
import { GetMyReferralCodeHandler } from './queries/get-my-referral-code/get-my-referral-code.handler';
import { ValidateReferralCodeHandler } from './queries/validate-referral-code/validate-referral-code.handler';

/**
 * Referral codes (messaging-reports §1.4, §2.4, §3.4). Global only to provide identity's
 * `ReferralRedemptions` port (mechanic registration) without identity importing this module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ReferralCodeEntity])],
  controllers: [ReferralsController],
  providers: [
    { provide: ReferralRedemptions, useClass: ReferralRedemptionsAdapter },
    GenerateReferralCodeHandler,
    GetMyReferralCodeHandler,
    ValidateReferralCodeHandler,
    ReferralCodesPersonalData,
  ],
  exports: [ReferralRedemptions],
})
export class ReferralsModule {}
