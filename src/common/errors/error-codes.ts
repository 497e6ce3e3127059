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
  | 'metrics_unavailable'
  // identity
  | 'not_authenticated'
  | 'invalid_token'
  | 'token_revoked'
  | 'password_changed'
  | 'user_not_found'
  | 'account_deactivated'
  | 'access_denied'
  | 'email_not_verified'
  | 'invalid_credentials'
  | 'login_locked'
  | 'invalid_verification'
  | 'verification_locked'
  | 'invalid_reset_token'
  | 'token_already_used'
  | 'invalid_logout_token'
  | 'incorrect_password'
  | 'password_unchanged'
  | 'email_in_use'
  | 'last_admin'
  // mechanics
  | 'mechanic_profile_not_found'
  | 'account_suspended'
  | 'mechanic_not_found'
  | 'invalid_radius'
  | 'identity_not_verified'
  | 'slot_limit_reached'
  | 'slot_overlap'
  | 'slot_booked'
  | 'availability_not_found'
  | 'date_range_too_long'
  | 'diploma_not_found'
  // storage
  | 'invalid_upload'
  | 'invalid_path';

export const DOMAIN_ERROR_STATUS = {
  not_found: 404,
  conflict: 409,
  resource_busy: 503,
  payload_too_large: 413,
  metrics_key_invalid: 403,
  metrics_unavailable: 503,
  not_authenticated: 403,
  invalid_token: 401,
  token_revoked: 401,
  password_changed: 401,
  user_not_found: 401,
  account_deactivated: 403,
  access_denied: 403,
  email_not_verified: 403,
  invalid_credentials: 401,
  login_locked: 429,
  invalid_verification: 400,
  verification_locked: 429,
  invalid_reset_token: 400,
  token_already_used: 400,
  invalid_logout_token: 400,
  incorrect_password: 400,
  password_unchanged: 400,
  email_in_use: 409,
  last_admin: 409,
  mechanic_profile_not_found: 404,
  account_suspended: 403,
  mechanic_not_found: 404,
  invalid_radius: 422,
  identity_not_verified: 403,
  slot_limit_reached: 400,
  slot_overlap: 409,
  slot_booked: 409,
  availability_not_found: 404,
  date_range_too_long: 400,
  diploma_not_found: 404,
  invalid_upload: 400,
  invalid_path: 400,
} as const satisfies Record<DomainErrorCode, number>;
