import { type Logger } from '@nestjs/common';
import { type DataSource } from 'typeorm';
import { ADVISORY_LOCK, withAdvisoryLock } from './advisory-lock';

/**
 * Applies pending migrations, each in its own transaction, while holding a session-level advisory
 * lock so that several instances starting together migrate one after the other. A failure is logged
 * and re-thrown: the caller must stop (H-013), never serve a half-migrated schema.
 */
export async function migrateDatabase(
  dataSource: DataSource,
  logger: Pick<Logger, 'log' | 'error'>,
): Promise<string[]> {
  try {
    const applied = await withAdvisoryLock(dataSource, ADVISORY_LOCK.migrations, () =>
      dataSource.runMigrations({ transaction: 'each' }),
    );
    const names = applied.map((m) => m.name);
    logger.log({ event: 'migrations_applied', count: names.length, names });
    return names;
  } catch (error) {
    logger.error({ event: 'migration_failed', err: error }, 'Database migration failed; refusing to start');
    throw error;
  }
}
