import { type EntityManager } from 'typeorm';

export type StripeActivation =
  | { readonly outcome: 'activated' | 'unchanged'; readonly profileId: string }
  | { readonly outcome: 'unknown_account' };

/**
 * The port through which payments reads and writes the Stripe Connect side of mechanic profiles
 * without reaching into the mechanics module's tables; the mechanics module provides it.
 */
export abstract class MechanicPayoutAccounts {
  /**
   * The profile's Stripe account id, with the profile row locked for the rest of the transaction so
   * that two onboardings of one mechanic queue behind each other instead of both creating an account.
   */
  abstract lockStripeAccount(manager: EntityManager, profileId: string): Promise<string | null>;

  abstract attachStripeAccount(manager: EntityManager, profileId: string, accountId: string): Promise<void>;

  abstract stripeAccountOf(profileId: string): Promise<string | null>;

  /**
   * `account.updated` with charges and payouts enabled (§4.8): activates the profile holding the
   * account when its identity is verified and no suspension runs. Looked up through the H-023 index.
   */
  abstract activateVerified(
    manager: EntityManager,
    stripeAccountId: string,
    now: Date,
  ): Promise<StripeActivation>;
}
