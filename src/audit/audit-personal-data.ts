import { Injectable } from '@nestjs/common';
import { OwnsPersonalData, type PersonalDataOwner } from '../identity/domain/personal-data';

/**
 * The audit trail is kept when an account is erased: admins' decisions must stay accountable (GDPR
 * art. 17(3)(b) and (e)), rows hold only user ids and the admin's reason, and the ids stop pointing
 * at a person once the user row is anonymised. It is the admins' record, not the user's data, so
 * the export (art. 20) has no section for it.
 */
@Injectable()
@OwnsPersonalData()
export class AuditPersonalData implements PersonalDataOwner {
  readonly tables = ['audit_logs'];

  erase(): Promise<void> {
    return Promise.resolve();
  }

  export(): Promise<Record<string, unknown>> {
    return Promise.resolve({});
  }
}
