import { type DataSource } from 'typeorm';

/** Lock keys shared by every instance of the service: each names one start-up critical section. */
export const ADVISORY_LOCK = {
  migrations: 7_220_461_501,
  deliveryQueues: 7_220_461_502,
} as const;

/**
 * Runs `work` while holding a session-level PostgreSQL advisory lock on a dedicated connection, so
 * that several instances starting together do it one after the other.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: number,
  work: () => Promise<T>,
): Promise<T> {
  const holder = dataSource.createQueryRunner();
  await holder.connect();
  try {
    await holder.query('SELECT pg_advisory_lock($1)', [key]);
    return await work();
  } finally {
    await holder.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    await holder.release();
  }
}
