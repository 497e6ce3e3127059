import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ReferralRedemptions } from '../../identity/commands/register-user/referral-redemptions';

/** Registration's port onto referral codes: `uses_count = uses_count + 1`, so concurrent uses all count. */
@Injectable()
export class ReferralRedemptionsAdapter extends ReferralRedemptions {
  async redeem(manager: EntityManager, code: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await manager.query(
      'UPDATE referral_codes SET uses_count = uses_count + 1 WHERE code = $1',
      [code],
    );
    return affected > 0;
  }
}
