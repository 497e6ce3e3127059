import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { MechanicPayoutAccounts } from '../domain/mechanic-payout-accounts';
import { type StripeEvent, stringField } from '../domain/stripe-event';
import { HandlesStripeEvents, type StripeEventHandler } from './stripe-event-handlers';

/**
 * §4.8 `account.updated` (sent to the Connect endpoint): once Stripe lets the account take charges
 * and receive payouts, a verified mechanic who was waiting for it becomes active.
 */
@Injectable()
@HandlesStripeEvents('account.updated')
export class AccountUpdatedHandler implements StripeEventHandler {
  private readonly logger = new Logger('StripeWebhook');

  constructor(
    private readonly accounts: MechanicPayoutAccounts,
    private readonly clock: Clock,
  ) {}

  async handle(manager: EntityManager, event: StripeEvent): Promise<void> {
    const account = event.data.object;
    const accountId = stringField(account, 'id');
    if (!accountId || account.charges_enabled !== true || account.payouts_enabled !== true) {
      this.logger.log({ event: 'connect_account_not_ready', event_id: event.id });
      return;
    }
    const activation = await this.accounts.activateVerified(manager, accountId, this.clock.now());
    this.logger.log({
      event: 'connect_account_ready',
      event_id: event.id,
      outcome: activation.outcome,
      mechanic_profile_id: 'profileId' in activation ? activation.profileId : undefined,
    });
  }
}
