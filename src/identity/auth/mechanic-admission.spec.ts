import { DomainError } from '../../common/errors/domain-error';
import { type MechanicAccountState } from '../domain/mechanic-accounts';
import { admitMechanic } from './mechanic-admission';

const NOW = new Date('2026-03-02T09:00:00Z');
const account = (overrides: Partial<MechanicAccountState> = {}): MechanicAccountState => ({
  profileId: 'p',
  isActive: true,
  isIdentityVerified: true,
  noShowCount: 0,
  suspendedUntil: null,
  ...overrides,
});

function outcome(state: MechanicAccountState | null, onboarding: boolean): string {
  try {
    admitMechanic(state, onboarding, NOW);
    return 'admitted';
  } catch (error) {
    if (error instanceof DomainError) return `${error.status} ${error.detail}`;
    throw error;
  }
}

describe('admitMechanic (identity §2.0.1)', () => {
  const DEACTIVATED = '403 Account has been deactivated';
  const SUSPENDED = '403 Account suspended. Contact support for more information.';
  const cases: [string, MechanicAccountState | null, string, string][] = [
    ['no profile', null, '404 Mechanic profile not found', '404 Mechanic profile not found'],
    ['active and verified', account(), 'admitted', 'admitted'],
    [
      'N1: new mechanic, inactive and never approved',
      account({ isActive: false, isIdentityVerified: false }),
      DEACTIVATED,
      'admitted',
    ],
    ['inactive after an approval (banned)', account({ isActive: false }), DEACTIVATED, DEACTIVATED],
    [
      'inactive with 3 no-shows',
      account({ isActive: false, isIdentityVerified: false, noShowCount: 3 }),
      DEACTIVATED,
      DEACTIVATED,
    ],
    [
      'suspended until tomorrow',
      account({ suspendedUntil: new Date('2026-03-03T09:00:00Z') }),
      SUSPENDED,
      SUSPENDED,
    ],
    [
      'inactive, unverified and suspended',
      account({
        isActive: false,
        isIdentityVerified: false,
        suspendedUntil: new Date('2026-03-03T09:00:00Z'),
      }),
      DEACTIVATED,
      DEACTIVATED,
    ],
    [
      'suspension already over',
      account({ suspendedUntil: new Date('2026-03-01T09:00:00Z') }),
      'admitted',
      'admitted',
    ],
  ];

  it.each(cases)('%s', (_name, state, strict, onboarding) => {
    expect({ strict: outcome(state, false), onboarding: outcome(state, true) }).toEqual({
      strict,
      onboarding,
    });
  });
});
