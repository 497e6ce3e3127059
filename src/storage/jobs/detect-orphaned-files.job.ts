import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { markedProviders } from '../../common/discovery/marked-providers';
import { Job, type ScheduledJob } from '../../scheduling/job';
import { Storage, type StoredObject } from '../storage';
import { ReferencesStoredFiles, type StoredFileReferences } from '../stored-file-references';

/**
 * A file is uploaded before the row that records it commits; a week covers that gap (and any
 * request retried meanwhile) with room to spare.
 */
export const ORPHAN_GRACE_MS = 7 * 24 * 3_600_000;

/**
 * §7.11, Sundays 03:00 UTC: list the bucket page by page, ask every `@ReferencesStoredFiles()`
 * module which of the page's old-enough URLs it still records, and delete the others. A listing or
 * database error fails the run before that page's deletions, so nothing is deleted on a partial
 * view. One pass per run: the runner must not list the bucket a second time to find "no work".
 */
@Injectable()
@Job('detect_orphaned_files', '0 3 * * 0')
export class DetectOrphanedFilesJob implements ScheduledJob, OnModuleInit {
  readonly runsInOnePass = true;
  private readonly logger = new Logger('DetectOrphanedFilesJob');
  private references: StoredFileReferences[] = [];

  constructor(
    private readonly storage: Storage,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    this.references = markedProviders<StoredFileReferences, void>(this.discovery, ReferencesStoredFiles).map(
      ({ instance }) => instance,
    );
  }

  async runBatch(now: Date): Promise<number> {
    const cutoff = now.getTime() - ORPHAN_GRACE_MS;
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.storage.listObjects(token);
      const candidates = page.objects.filter((object) => object.lastModified.getTime() < cutoff);
      for (const orphan of await this.unreferenced(candidates)) {
        await this.storage.deleteObject(orphan.key);
        this.logger.log({ event: 'orphaned_file_deleted', key: orphan.key });
        deleted++;
      }
      token = page.next;
    } while (token);
    return deleted;
  }

  private async unreferenced(candidates: StoredObject[]): Promise<StoredObject[]> {
    if (candidates.length === 0) return [];
    const urls = candidates.map((object) => object.url);
    const answers = await Promise.all(this.references.map((module) => module.referencedAmong(urls)));
    return candidates.filter((object) => !answers.some((referenced) => referenced.has(object.url)));
  }
}
