import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '../../../common/errors/domain-error';
import { MechanicPayoutAccounts } from '../../domain/mechanic-payout-accounts';
import { orProviderError } from '../../domain/payment-errors';
import { PaymentGateway } from '../../domain/payment-gateway';
import { type DashboardLink, GetMechanicDashboardQuery } from './get-mechanic-dashboard.query';

/**
 * GET /payments/mechanic-dashboard (§3.15): a one-time login link to the Express dashboard. Stripe
 * refuses login links to accounts that have not finished onboarding, so that case is a 400 telling
 * the mechanic what to do rather than a 500.
 */
@QueryHandler(GetMechanicDashboardQuery)
export class GetMechanicDashboardHandler implements IQueryHandler<GetMechanicDashboardQuery> {
  constructor(
    private readonly accounts: MechanicPayoutAccounts,
    private readonly gateway: PaymentGateway,
  ) {}

  async execute({ profileId }: GetMechanicDashboardQuery): Promise<DashboardLink> {
    const accountId = await this.accounts.stripeAccountOf(profileId);
    if (!accountId) {
      throw new DomainError(
        'stripe_account_missing',
        'No Stripe account found. Please complete onboarding first.',
      );
    }
    const reference = { mechanicProfileId: profileId };
    const state = orProviderError(await this.gateway.connectAccountState(accountId, reference));
    if (!state.onboardingComplete) {
      throw new DomainError(
        'stripe_onboarding_incomplete',
        'Stripe onboarding is not complete. Please complete onboarding first.',
      );
    }
    const link = orProviderError(await this.gateway.dashboardLink(accountId, reference));
    return { dashboard_url: link.url };
  }
}
