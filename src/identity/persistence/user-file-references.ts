import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReferencesStoredFiles, type StoredFileReferences } from '../../storage/stored-file-references';
import { referencedIn } from '../../storage/stored-url-columns';

/** Profile photos (`users.photo_url`) for the orphaned-file sweep (§7.11). */
@Injectable()
@ReferencesStoredFiles()
export class UserFileReferences implements StoredFileReferences {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  referencedAmong(storedUrls: readonly string[]): Promise<ReadonlySet<string>> {
    return referencedIn(this.dataSource, [{ table: 'users', column: 'photo_url' }], storedUrls);
  }
}
