import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  OwnsPersonalData,
  type PersonalDataOwner,
  sanitiseForCsv,
} from '../../identity/domain/personal-data';
import { type UserEntity } from '../../identity/persistence/user.entity';

/** What an erased opener's settled dispute says instead of their words (as messages do, messaging §3.1.5). */
export const ERASED_DESCRIPTION = '[Description supprimee]';

interface DisputeRow {
  id: string;
  booking_id: string;
  reason: string;
  description: string;
  photo_urls: string[] | null;
  status: string;
  created_at: Date;
  resolved_at: Date | null;
}

/**
 * GDPR for the disputes a user opened (identity §2.1-14/15). The dispute stays with its booking (a
 * payment was decided on it), but no longer points at the person: `opened_by` is cleared (the admin
 * listing shows a deleted opener as null, N16). A settled dispute also loses the opener's text and
 * photos, which the orphaned-file sweep then deletes; an open one keeps them until an admin has
 * decided on them (art. 17(3)(e): the pending claim).
 */
@Injectable()
@OwnsPersonalData()
export class DisputesPersonalData implements PersonalDataOwner {
  readonly tables = ['dispute_cases'];

  async erase(manager: EntityManager, user: UserEntity): Promise<void> {
    await manager.query(
      `UPDATE dispute_cases
          SET opened_by = NULL,
              description = CASE WHEN status = 'open' THEN description ELSE $2 END,
              photo_urls = CASE WHEN status = 'open' THEN photo_urls ELSE NULL END
        WHERE opened_by = $1`,
      [user.id, ERASED_DESCRIPTION],
    );
  }

  async export(manager: EntityManager, user: UserEntity, limit: number): Promise<Record<string, unknown>> {
    const rows: DisputeRow[] = await manager.query(
      `SELECT id, booking_id, reason, description, photo_urls, status, created_at, resolved_at
         FROM dispute_cases WHERE opened_by = $1 ORDER BY created_at DESC LIMIT $2`,
      [user.id, limit],
    );
    return {
      disputes: rows.map((row) => ({
        id: row.id,
        booking_id: row.booking_id,
        reason: row.reason,
        description: sanitiseForCsv(row.description),
        photo_urls: row.photo_urls ?? [],
        status: row.status,
        created_at: row.created_at.toISOString(),
        resolved_at: row.resolved_at?.toISOString() ?? null,
      })),
    };
  }
}
