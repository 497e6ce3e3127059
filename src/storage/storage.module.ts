import { type DynamicModule, Global, Module, type Provider, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { type AppConfig } from '../config/load-config';
import { FileUploads } from './file-uploads';
import { DetectOrphanedFilesJob } from './jobs/detect-orphaned-files.job';
import { LocalStorage } from './local-storage';
import { S3Storage } from './s3-storage';
import { Storage } from './storage';
import { StoredFileOwners } from './stored-file-owners';
import { UploadsController } from './uploads.controller';

/** R2 when R2_ENDPOINT_URL is set, the local directory otherwise (with its dev-only file route). */
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.R2_ENDPOINT_URL) {
      const storage = new S3Storage({
        endpoint: config.R2_ENDPOINT_URL,
        accessKeyId: config.R2_ACCESS_KEY_ID,
        secretAccessKey: config.R2_SECRET_ACCESS_KEY,
        bucket: config.R2_BUCKET_NAME,
        publicUrl: config.R2_PUBLIC_URL.replace(/\/$/, ''),
      });
      return StorageModule.with(storage, []);
    }
    const local = new LocalStorage(config.STORAGE_DIR);
    return StorageModule.with(local, [UploadsController], [{ provide: LocalStorage, useValue: local }]);
  }

  private static with(storage: Storage, controllers: Type[], extra: Provider[] = []): DynamicModule {
    return {
      module: StorageModule,
      imports: [DiscoveryModule],
      controllers,
      providers: [
        { provide: Storage, useValue: storage },
        FileUploads,
        StoredFileOwners,
        DetectOrphanedFilesJob,
        ...extra,
      ],
      exports: [Storage, FileUploads],
    };
  }
}
