import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt, { type Algorithm } from 'jsonwebtoken';
import { Clock } from '../../common/clock/clock';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';

export type TokenType = 'access' | 'refresh' | 'password_reset' | 'email_verify' | 'download';

export interface TokenClaims {
  sub?: string;
  type?: TokenType;
  jti?: string;
  iat?: number;
  exp?: number;
  iss?: string;
  /** Issue time in milliseconds: `iat` has whole seconds, too coarse for the 500 ms rule (N24). */
  iat_ms?: number;
  /** A `download` token's booking (messaging-reports §2.5): it opens that one receipt only. */
  booking_id?: string;
}

/** Claims that bind a token to one resource, on top of the common ones. */
export type ScopeClaims = Pick<TokenClaims, 'booking_id'>;

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
}

const ISSUER = 'emecano';
const ONE_HOUR = 3_600;
const ONE_DAY = 86_400;

/** Every token of the service is minted and verified here, with one set of rules (identity §3). */
@Injectable()
export class TokenService {
  private readonly algorithm: Algorithm;
  /**
   * Parsed once: given the secret as a string, jsonwebtoken first tries it as a public key (which
   * throws) on every verify, about a tenth of a request's CPU in the transitions benchmark.
   */
  private readonly verificationKey: KeyObject | string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.algorithm = config.JWT_ALGORITHM;
    this.verificationKey = this.algorithm.startsWith('HS')
      ? createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'))
      : config.JWT_SECRET;
  }

  issue(
    type: TokenType,
    subject: string,
    scope: ScopeClaims = {},
  ): { token: string; jti: string; expiresAt: Date } {
    const nowMs = this.clock.now().getTime();
    const iat = Math.floor(nowMs / 1000);
    const jti = randomUUID();
    const lifetimeSeconds = this.lifetimeOf(type);
    const claims: TokenClaims = {
      ...scope,
      sub: subject,
      type,
      jti,
      iat,
      exp: iat + lifetimeSeconds,
      iss: ISSUER,
      iat_ms: nowMs,
    };
    const token = jwt.sign(claims, this.config.JWT_SECRET, { algorithm: this.algorithm });
    return { token, jti, expiresAt: new Date((iat + lifetimeSeconds) * 1000) };
  }

  issuePair(userId: string): TokenPair {
    return {
      access_token: this.issue('access', userId).token,
      refresh_token: this.issue('refresh', userId).token,
      token_type: 'bearer',
    };
  }

  /** Signature, expiry (no leeway, against the injected clock) and issuer; null on any failure. */
  verify(token: string): TokenClaims | null {
    try {
      const claims = jwt.verify(token, this.verificationKey, {
        algorithms: [this.algorithm],
        issuer: ISSUER,
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      });
      return typeof claims === 'object' ? (claims as TokenClaims) : null;
    } catch {
      return null;
    }
  }

  /** Expiry of a verified token, for its blacklist row (now when it has none). */
  expiryOf(claims: TokenClaims): Date {
    return claims.exp ? new Date(claims.exp * 1000) : this.clock.now();
  }

  /**
   * H-004: a token issued more than 500 ms before the last password change (or e-mail change) is
   * dead. Measured in milliseconds when the token says when (N24), else from its whole-second `iat`.
   */
  predatesPasswordChange(claims: TokenClaims, passwordChangedAt: Date | null): boolean {
    if (!passwordChangedAt) return false;
    const issuedAtMs = claims.iat_ms ?? (claims.iat ?? 0) * 1000;
    return issuedAtMs < passwordChangedAt.getTime() - 500;
  }

  lifetimeOf(type: TokenType): number {
    switch (type) {
      case 'access':
        return this.config.JWT_ACCESS_TOKEN_EXPIRE_MINUTES * 60;
      case 'refresh':
        return this.config.JWT_REFRESH_TOKEN_EXPIRE_DAYS * ONE_DAY;
      case 'password_reset':
        return ONE_HOUR;
      case 'email_verify':
        return ONE_DAY;
      case 'download':
        return 5 * 60;
    }
  }
}
