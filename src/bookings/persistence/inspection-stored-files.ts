import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OwnsStoredFiles, type StoredFileOwner } from '../../storage/stored-file-owners';
import { ReferencesStoredFiles, type StoredFileReferences } from '../../storage/stored-file-references';

/**
 * Each of the URLs in $1 that check-out recorded (proof photos, additional photos, report PDF), with
 * its booking. One indexed probe per column (migration 1764000005000), so a page of the sweep or a
 * download costs a few index lookups, whatever the number of bookings.
 */
const RECORDED_FILES = `
  SELECT url, p.booking_id FROM unnest($1::text[]) AS url JOIN validation_proofs p ON p.photo_plate_url = url
  UNION ALL
  SELECT url, p.booking_id FROM unnest($1::text[]) AS url JOIN validation_proofs p ON p.photo_odometer_url = url
  UNION ALL
  SELECT url, p.booking_id FROM unnest($1::text[]) AS url
    JOIN validation_proofs p ON p.additional_photo_urls @> jsonb_build_array(url)
  UNION ALL
  SELECT url, r.booking_id FROM unnest($1::text[]) AS url JOIN reports r ON r.pdf_url = url`;

/**
 * The orphaned-file sweep (§7.11) keeps the files check-out recorded. (One class per marker: Nest
 * links a class to a single discoverable decorator, the last applied.)
 */
@Injectable()
@ReferencesStoredFiles()
export class InspectionFileReferences implements StoredFileReferences {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async referencedAmong(storedUrls: readonly string[]): Promise<ReadonlySet<string>> {
    const rows: { url: string }[] = await this.dataSource.query(
      `SELECT DISTINCT url FROM (${RECORDED_FILES}) recorded`,
      [storedUrls],
    );
    return new Set(rows.map((row) => row.url));
  }
}

/** The private file route serves them to the booking's two participants (admins: the route itself). */
@Injectable()
@OwnsStoredFiles()
export class InspectionFileOwners implements StoredFileOwner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ownsStoredFile(userId: string, storedUrl: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM (${RECORDED_FILES}) recorded
         JOIN bookings b ON b.id = recorded.booking_id
         JOIN mechanic_profiles m ON m.id = b.mechanic_id
        WHERE $2 IN (b.buyer_id, m.user_id)
        LIMIT 1`,
      [[storedUrl], userId],
    );
    return rows.length > 0;
  }
}
