import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { IdempotencyKeys } from '../../domain/idempotency-keys';
import { MechanicPayoutAccounts } from '../../domain/mechanic-payout-accounts';
import { orProviderError } from '../../domain/payment-errors';
import { PaymentGateway } from '../../domain/payment-gateway';
import { OnboardMechanicCommand, type OnboardingLink } from './onboard-mechanic.command';

/**
 * POST /payments/onboard-mechanic (§3.14 with decision D9 and N13.27). The account is created and
 * stored under the profile's row lock, with the key `connect_account_{profile_id}` so that a retry
 * after a failed commit gets the same account back. The link is asked for after the commit: if
 * that call fails, the account is kept and the next attempt only needs a fresh link. A mechanic whose
 * account exists but who left onboarding unfinished gets a fresh link (links are single-use and
 * expire); 409 only once onboarding is complete.
 */
@CommandHandler(OnboardMechanicCommand)
export class OnboardMechanicHandler implements ICommandHandler<OnboardMechanicCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: MechanicPayoutAccounts,
    private readonly gateway: PaymentGateway,
  ) {}

  async execute({ profileId, email }: OnboardMechanicCommand): Promise<OnboardingLink> {
    const reference = { mechanicProfileId: profileId };
    const { accountId, created } = await inTransaction(this.dataSource, async (manager) => {
      const existing = await this.accounts.lockStripeAccount(manager, profileId);
      if (existing) return { accountId: existing, created: false };
      const account = orProviderError(
        await this.gateway.createConnectAccount(email, IdempotencyKeys.connectAccount(profileId), reference),
      );
      await this.accounts.attachStripeAccount(manager, profileId, account.accountId);
      return { accountId: account.accountId, created: true };
    });
    if (!created) {
      const state = orProviderError(await this.gateway.connectAccountState(accountId, reference));
      if (state.onboardingComplete) {
        throw new DomainError('stripe_account_exists', 'Stripe account already created');
      }
    }
    const link = orProviderError(await this.gateway.onboardingLink(accountId, reference));
    return { onboarding_url: link.url };
  }
}
