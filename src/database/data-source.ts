import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { type AppConfig } from '../config/load-config';
import { DatabaseLogger } from './typeorm-logger';

/** Migrations are compiled next to the sources (`dist/migrations` at run time, `migrations/` in tests). */
const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{js,ts}');

export function dataSourceOptions(config: AppConfig, url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // libpq's `require`: encrypted, certificate checked only when the URL asks for it (sslmode=verify-full).
    ssl: config.isProduction && !/sslmode=/.test(url) ? { rejectUnauthorized: false } : undefined,
    synchronize: false,
    // Extensions are the migrations' business; TypeORM would otherwise add uuid-ossp on connect.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'schema_migrations',
    entities: [join(__dirname, '..', '**', '*.entity.{js,ts}')],
    logger: new DatabaseLogger(config.APP_DEBUG && config.isDevelopment),
    maxQueryExecutionTime: 1_000,
    extra: {
      max: config.DB_POOL_SIZE + config.DB_MAX_OVERFLOW,
      connectionTimeoutMillis: 30_000,
      idleTimeoutMillis: 3_600_000,
      application_name: 'emecano',
    },
  };
}

export function createDataSource(config: AppConfig, url: string): DataSource {
  return new DataSource(dataSourceOptions(config, url));
}
