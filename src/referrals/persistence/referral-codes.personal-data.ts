import { Injectable } from '@nestjs/common';
import { OwnsPersonalData, type PersonalDataOwner } from '../../identity/domain/personal-data';

/**
 * GDPR for referral codes: claimed here so the choice is explicit. A code is a random string counted
 * against the mechanic's profile, and holds nothing about a person. Erasure deactivates the profile
 * rather than deleting it (MechanicPersonalData), so the code stays, and still validates: codes never
 * expire (§3.4), and mechanics already registered with it keep `referred_by`.
 */
@Injectable()
@OwnsPersonalData()
export class ReferralCodesPersonalData implements PersonalDataOwner {
  readonly tables = ['referral_codes'];

  async erase(): Promise<void> {}

  async export(): Promise<Record<string, unknown>> {
    return {};
  }
}
