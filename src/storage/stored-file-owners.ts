import { Injectable, type OnModuleInit, SetMetadata } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';

/** A module that records private files (identity papers, CVs, proofs) and knows whose they are. */
export interface StoredFileOwner {
  ownsStoredFile(userId: string, storedUrl: string): Promise<boolean>;
}

const STORED_FILE_OWNER = 'emecano:stored-file-owner';

/** Marks a provider as a StoredFileOwner so the file route finds it. */
export const OwnsStoredFiles = () => SetMetadata(STORED_FILE_OWNER, true);

/** Every `@OwnsStoredFiles()` provider: a private file is its owner's if any of them says so. */
@Injectable()
export class StoredFileOwners implements OnModuleInit {
  private owners: StoredFileOwner[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.owners = this.discovery
      .getProviders()
      .filter(
        (wrapper) =>
          wrapper.metatype && wrapper.instance && this.reflector.get(STORED_FILE_OWNER, wrapper.metatype),
      )
      .map((wrapper) => wrapper.instance as StoredFileOwner);
  }

  async isOwner(userId: string, storedUrl: string): Promise<boolean> {
    for (const owner of this.owners) if (await owner.ownsStoredFile(userId, storedUrl)) return true;
    return false;
  }
}
