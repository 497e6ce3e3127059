import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReferencesStoredFiles, type StoredFileReferences } from '../../storage/stored-file-references';
import { referencedIn, type StoredUrlColumn } from '../../storage/stored-url-columns';

const COLUMNS: readonly StoredUrlColumn[] = [
  { table: 'mechanic_profiles', column: 'identity_document_url' },
  { table: 'mechanic_profiles', column: 'selfie_with_id_url' },
  { table: 'mechanic_profiles', column: 'cv_url' },
  { table: 'mechanic_profiles', column: 'photo_url' },
  { table: 'diplomas', column: 'document_url' },
];

/** The mechanics' stored files (identity papers, selfie, CV, photo, diplomas) for the sweep (§7.11). */
@Injectable()
@ReferencesStoredFiles()
export class MechanicFileReferences implements StoredFileReferences {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  referencedAmong(storedUrls: readonly string[]): Promise<ReadonlySet<string>> {
    return referencedIn(this.dataSource, COLUMNS, storedUrls);
  }
}
