import { type Request } from 'express';
import { DomainError } from '../../common/errors/domain-error';

/**
 * The bearer credential, with the original's answers (FastAPI HTTPBearer): 403 "Not authenticated"
 * without a header, 403 "Invalid authentication credentials" for another scheme.
 */
export function bearerToken(request: Request): string {
  const header = request.header('authorization')?.trim();
  if (!header) throw new DomainError('not_authenticated', 'Not authenticated');
  const [scheme, credentials] = header.split(/\s+/, 2);
  if (scheme.toLowerCase() !== 'bearer' || !credentials) {
    throw new DomainError('not_authenticated', 'Invalid authentication credentials');
  }
  return credentials;
}
