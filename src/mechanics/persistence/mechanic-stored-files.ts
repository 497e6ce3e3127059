import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OwnsStoredFiles, type StoredFileOwner } from '../../storage/stored-file-owners';

/** A mechanic's identity papers, selfie and CV are theirs to download (N28). */
@Injectable()
@OwnsStoredFiles()
export class MechanicStoredFiles implements StoredFileOwner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ownsStoredFile(userId: string, storedUrl: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM mechanic_profiles
        WHERE user_id = $1 AND $2 IN (identity_document_url, selfie_with_id_url, cv_url)`,
      [userId, storedUrl],
    );
    return rows.length > 0;
  }
}
