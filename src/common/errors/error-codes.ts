/**
 * Every stable error code the API can answer with, and its HTTP status. A code added to the union
 * without a status here does not compile (`satisfies`), so no domain error can fall through to a 500.
 */
export type DomainErrorCode =
  | 'not_found'
  | 'conflict'
  | 'resource_busy'
  | 'payload_too_large'
  | 'metrics_key_invalid'
  | 'metrics_unavailable';

export const DOMAIN_ERROR_STATUS = {
  not_found: 404,
  conflict: 409,
  resource_busy: 503,
  payload_too_large: 413,
  metrics_key_invalid: 403,
  metrics_unavailable: 503,
} as const satisfies Record<DomainErrorCode, number>;
