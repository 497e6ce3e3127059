import { type Logger } from '@nestjs/common';
import { type DataSource } from 'typeorm';

/** Any constant shared by every instance: it names the advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 7_220_461_501;

/**
 * Applies pending migrations, each in its own transaction, while holding a session-level advisory
 * lock so that several instances starting together migrate one after the other. A failure is logged
 * and re-thrown: the caller must stop (H-013), never serve a half-migrated schema.
 */
export async function migrateDatabase(
  dataSource: DataSource,
  logger: Pick<Logger, 'log' | 'error'>,
): Promise<string[]> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((m) => m.name);
    logger.log({ event: 'migrations_applied', count: names.length, names });
    return names;
  } catch (error) {
    logger.error({ event: 'migration_failed', err: error }, 'Database migration failed; refusing to start');
    throw error;
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockHolder.release();
  }
}
