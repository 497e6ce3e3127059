import { type Logger } from '@nestjs/common';
import { type DataSource } from 'typeorm';
import { type AppConfig } from '../config/load-config';
import { createDataSource } from './data-source';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { migrateDatabase } from './migrate';

export const EMBEDDED_DATA_DIR = 'var/pgdata';
/** Away from 5432 so that it never collides with a PostgreSQL installed on the machine. */
export const EMBEDDED_PORT = 54329;

export interface OpenDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

type BootLogger = Pick<Logger, 'log' | 'warn' | 'error'>;

/**
 * The configured database, or in development without DATABASE_URL an embedded PostgreSQL kept under
 * var/pgdata; connected and migrated (under the advisory lock) before anything serves.
 */
export async function openDatabase(config: AppConfig, logger: BootLogger): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    logger.warn({ event: 'embedded_postgres', data_dir: EMBEDDED_DATA_DIR, port: EMBEDDED_PORT });
    embedded = await startEmbeddedPostgres({
      dataDir: EMBEDDED_DATA_DIR,
      port: EMBEDDED_PORT,
      onLog: (output) => {
        for (const line of output.split('\n').filter((l) => /\b(ERROR|FATAL|PANIC):/.test(l))) {
          logger.error({ event: 'embedded_postgres_log', line });
        }
      },
    });
    url = embedded.url;
  }
  const dataSource = createDataSource(config, url);
  try {
    await dataSource.initialize();
    await migrateDatabase(dataSource, logger);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
