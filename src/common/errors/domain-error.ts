import { DOMAIN_ERROR_STATUS, type DomainErrorCode } from './error-codes';

/**
 * An expected failure of a use case. Handlers throw these (never HTTP exceptions); the exception
 * filter turns them into `{"detail": message, "code": code}` with the status of DOMAIN_ERROR_STATUS.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  get status(): number {
    return DOMAIN_ERROR_STATUS[this.code];
  }
}
