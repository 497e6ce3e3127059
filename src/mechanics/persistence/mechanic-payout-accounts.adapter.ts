import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  MechanicPayoutAccounts,
  type StripeActivation,
} from '../../payments/domain/mechanic-payout-accounts';
import { MechanicProfileEntity } from './mechanic-profile.entity';
import { lockProfile } from './profile.locks';

/** The payments module's port onto the Stripe Connect columns of mechanic profiles. */
@Injectable()
export class MechanicPayoutAccountsAdapter extends MechanicPayoutAccounts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async lockStripeAccount(manager: EntityManager, profileId: string): Promise<string | null> {
    return (await lockProfile(manager, profileId)).stripeAccountId;
  }

  async attachStripeAccount(manager: EntityManager, profileId: string, accountId: string): Promise<void> {
    await manager.update(MechanicProfileEntity, { id: profileId }, { stripeAccountId: accountId });
  }

  async stripeAccountOf(profileId: string): Promise<string | null> {
    const profile = await this.dataSource
      .getRepository(MechanicProfileEntity)
      .findOne({ where: { id: profileId }, select: ['id', 'stripeAccountId'] });
    return profile?.stripeAccountId ?? null;
  }

  /** The suspension rule is VerifyMechanic's: activation never lifts a running suspension (N15). */
  async activateVerified(
    manager: EntityManager,
    stripeAccountId: string,
    now: Date,
  ): Promise<StripeActivation> {
    const activated: { id: string }[] = await manager.query(
      `UPDATE mechanic_profiles SET is_active = true, updated_at = $2
        WHERE stripe_account_id = $1 AND NOT is_active AND is_identity_verified
          AND (suspended_until IS NULL OR suspended_until <= $2)
        RETURNING id`,
      [stripeAccountId, now],
    );
    if (activated.length > 0) return { outcome: 'activated', profileId: activated[0].id };
    const holder = await manager
      .getRepository(MechanicProfileEntity)
      .findOne({ where: { stripeAccountId }, select: ['id'] });
    return holder ? { outcome: 'unchanged', profileId: holder.id } : { outcome: 'unknown_account' };
  }
}
