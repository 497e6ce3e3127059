import { type EntityManager } from 'typeorm';

/**
 * The port through which registration redeems a mechanic's referral code (messaging-reports §2.4
 * hook) without depending on the referrals module's tables. The referrals module provides it.
 */
export abstract class ReferralRedemptions {
  /** Counts one use of `code` with an atomic increment, in the caller's transaction; false if unknown. */
  abstract redeem(manager: EntityManager, code: string): Promise<boolean>;
}
