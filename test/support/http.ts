import { randomInt } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { type Response } from 'supertest';
import { type TokenClaims, type TokenPair } from '../../src/identity/domain/token.service';

export type { TokenPair };

/**
 * A fresh client address (sent as X-Forwarded-For with TRUSTED_PROXY_COUNT=1), so that rate-limit
 * buckets, in Redis too, never carry over between tests or runs.
 */
export function newIp(): string {
  return `198.51.${randomInt(0, 255)}.${randomInt(1, 254)}`;
}

/** The claims of a token the service issued (all present), read without verifying it. */
export function claimsOf(token: string): Required<TokenClaims> {
  return jwt.decode(token) as Required<TokenClaims>;
}

/** A domain error: `{"detail", "code", "request_id"}` with its status. */
export function expectDomainError(response: Response, status: number, detail: string, code: string): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { detail, code, request_id: expect.any(String) },
  });
}
