import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { markedProviders } from '../common/discovery/marked-providers';

/** A module that records private files (identity papers, CVs, proofs) and knows whose they are. */
export interface StoredFileOwner {
  ownsStoredFile(userId: string, storedUrl: string): Promise<boolean>;
}

/** Marks a provider as a StoredFileOwner so the file route finds it. */
export const OwnsStoredFiles = DiscoveryService.createDecorator<void>();

/** Every `@OwnsStoredFiles()` provider: a private file is its owner's if any of them says so. */
@Injectable()
export class StoredFileOwners implements OnModuleInit {
  private owners: StoredFileOwner[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.owners = markedProviders<StoredFileOwner, void>(this.discovery, OwnsStoredFiles).map(
      ({ instance }) => instance,
    );
  }

  async isOwner(userId: string, storedUrl: string): Promise<boolean> {
    for (const owner of this.owners) if (await owner.ownsStoredFile(userId, storedUrl)) return true;
    return false;
  }
}
