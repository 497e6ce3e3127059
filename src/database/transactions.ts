import { type DataSource, type EntityManager } from 'typeorm';
import { PG_ERROR, pgErrorCode } from './pg-errors';

const MAX_ATTEMPTS = 3;
const RETRYABLE = new Set<string>([PG_ERROR.serializationFailure, PG_ERROR.deadlockDetected]);

/**
 * One short transaction around `work`, retried whole (at most 3 times) when PostgreSQL reports a
 * deadlock or a serialization failure. `work` must therefore be free of side effects outside the
 * transaction; after-commit work goes through the delivery queue, enqueued with `manager`.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      const code = pgErrorCode(error);
      if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** True when `error` is a unique violation of the named index or constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return violates(error, PG_ERROR.uniqueViolation, constraint);
}

/** True when `error` is a violation of the named exclusion constraint. */
export function isExclusionViolation(error: unknown, constraint: string): boolean {
  return violates(error, PG_ERROR.exclusionViolation, constraint);
}

function violates(error: unknown, code: string, constraint: string): boolean {
  if (pgErrorCode(error) !== code) return false;
  const driverError = (error as { driverError?: { constraint?: string } }).driverError;
  return driverError?.constraint === constraint;
}
