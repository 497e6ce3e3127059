import { DiscoveryService } from '@nestjs/core';

/**
 * A module whose rows point at stored files (uploads and generated PDFs). The orphaned-file sweep
 * (§7.11) lists the bucket page by page and asks every such module which of the page's URLs it
 * still references; a file nobody references, past its grace period, is deleted.
 */
export interface StoredFileReferences {
  /** The subset of `storedUrls` (as recorded in the database) that this module's rows reference. */
  referencedAmong(storedUrls: readonly string[]): Promise<ReadonlySet<string>>;
}

/** Marks a provider as a StoredFileReferences, found by the sweep through DiscoveryService. */
export const ReferencesStoredFiles = DiscoveryService.createDecorator<void>();
