import { DomainError } from '../../common/errors/domain-error';
import { type MechanicAccountState } from '../domain/mechanic-accounts';

/** No-shows that make a mechanic a penalty case rather than someone still onboarding. */
const ONBOARDING_MAX_NO_SHOWS = 3;

/**
 * The account-state half of the mechanic guards (identity §2.0.1), after the role check. The
 * onboarding variant (N1) also admits an inactive profile that was never approved, has fewer than 3
 * no-shows and is not suspended: registration creates profiles inactive, and their owners must be
 * able to complete them. The suspension date is never revealed.
 */
export function admitMechanic(
  account: MechanicAccountState | null,
  onboarding: boolean,
  now: Date,
): MechanicAccountState {
  if (!account) throw new DomainError('mechanic_profile_not_found', 'Mechanic profile not found');
  const suspended = account.suspendedUntil !== null && account.suspendedUntil > now;
  const stillOnboarding =
    onboarding && !account.isIdentityVerified && account.noShowCount < ONBOARDING_MAX_NO_SHOWS && !suspended;
  if (!account.isActive && !stillOnboarding) {
    throw new DomainError('account_deactivated', 'Account has been deactivated');
  }
  if (suspended) {
    throw new DomainError('account_suspended', 'Account suspended. Contact support for more information.');
  }
  return account;
}
