import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { OwnsPersonalData, type PersonalDataOwner } from '../../identity/domain/personal-data';
import { type UserEntity } from '../../identity/persistence/user.entity';

/**
 * GDPR for what check-out recorded (§1.4–§1.6). The proof, the checklist and the report describe a
 * vehicle and belong with the booking, which is kept (a contract, and the evidence of any dispute);
 * the only datum about a person is where the mechanic stood at check-out, so erasing a mechanic
 * clears those positions (both columns: the CHECK wants both or neither). The export keeps the
 * sections identity §2.1-15 lists: the buyer downloads the report itself from its route.
 */
@Injectable()
@OwnsPersonalData()
export class InspectionRecordsPersonalData implements PersonalDataOwner {
  readonly tables = ['validation_proofs', 'inspection_checklists', 'reports'];

  async erase(manager: EntityManager, user: UserEntity): Promise<void> {
    await manager.query(
      `UPDATE validation_proofs p SET gps_lat = NULL, gps_lng = NULL
         FROM bookings b JOIN mechanic_profiles m ON m.id = b.mechanic_id
        WHERE p.booking_id = b.id AND m.user_id = $1 AND p.gps_lat IS NOT NULL`,
      [user.id],
    );
  }

  export(): Promise<Record<string, unknown>> {
    return Promise.resolve({});
  }
}
