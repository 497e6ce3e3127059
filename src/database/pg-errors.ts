import { QueryFailedError } from 'typeorm';

/** SQLSTATE codes the service reacts to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const PG_ERROR = {
  uniqueViolation: '23505',
  exclusionViolation: '23P01',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
} as const;

export function pgErrorCode(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Contention that a retry of the whole transaction, or of the request later, can resolve. */
export function isTransientContention(error: unknown): boolean {
  const code = pgErrorCode(error);
  return (
    code === PG_ERROR.serializationFailure ||
    code === PG_ERROR.deadlockDetected ||
    code === PG_ERROR.lockNotAvailable
  );
}
