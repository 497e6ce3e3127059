import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type AppConfig } from '../config/load-config';
import { FileUploads } from './file-uploads';
import { LocalStorage } from './local-storage';
import { S3Storage } from './s3-storage';
import { Storage } from './storage';
import { UploadsController } from './uploads.controller';

/** R2 when R2_ENDPOINT_URL is set, the local directory otherwise (with its dev-only file route). */
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    const remote = Boolean(config.R2_ENDPOINT_URL);
    const storage = remote
      ? new S3Storage({
          endpoint: config.R2_ENDPOINT_URL,
          accessKeyId: config.R2_ACCESS_KEY_ID,
          secretAccessKey: config.R2_SECRET_ACCESS_KEY,
          bucket: config.R2_BUCKET_NAME,
          publicUrl: config.R2_PUBLIC_URL.replace(/\/$/, ''),
        })
      : new LocalStorage(config.STORAGE_DIR);
    return {
      module: StorageModule,
      controllers: remote ? [] : [UploadsController],
      providers: [{ provide: Storage, useValue: storage }, FileUploads],
      exports: [Storage, FileUploads],
    };
  }
}
