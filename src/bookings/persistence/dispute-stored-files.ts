import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReferencesStoredFiles, type StoredFileReferences } from '../../storage/stored-file-references';

/** The orphaned-file sweep (§7.11) keeps the photos a dispute still lists (§3.9, `disputes/`). */
@Injectable()
@ReferencesStoredFiles()
export class DisputeStoredFiles implements StoredFileReferences {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async referencedAmong(storedUrls: readonly string[]): Promise<ReadonlySet<string>> {
    const rows: { url: string }[] = await this.dataSource.query(
      `SELECT DISTINCT photo.url
         FROM dispute_cases, json_array_elements_text(photo_urls) AS photo(url)
        WHERE photo.url = ANY($1)`,
      [storedUrls],
    );
    return new Set(rows.map((row) => row.url));
  }
}
