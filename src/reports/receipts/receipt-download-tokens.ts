import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { isUuid } from '../../common/uuid';
import { TokenService } from '../../identity/domain/token.service';
import { TokenBlacklist } from '../../identity/persistence/token-blacklist';
import { UserEntity } from '../../identity/persistence/user.entity';

export interface DownloadTokenResponse {
  download_token: string;
  expires_in_seconds: number;
}

/** A verified, not yet used download token: whom it was issued to and what consuming it records. */
export interface DownloadGrant {
  buyerId: string;
  jti: string;
  expiresAt: Date;
}

/**
 * The receipt download tokens of messaging-reports §2.5: a `download` JWT bound to one booking and
 * to its buyer, valid 5 minutes, used once (its jti goes into blacklisted_tokens).
 */
@Injectable()
export class ReceiptDownloadTokens {
  constructor(
    private readonly tokens: TokenService,
    private readonly blacklist: TokenBlacklist,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Always for the buyer, also when an admin asks (REP-07): the download compares `sub` with the buyer. */
  issue(booking: { id: string; buyerId: string }): DownloadTokenResponse {
    const { token } = this.tokens.issue('download', booking.buyerId, { booking_id: booking.id });
    return { download_token: token, expires_in_seconds: this.tokens.lifetimeOf('download') };
  }

  /** Checks 1–3 of §2.5, in order: a valid token for this booking, unused, not older than a password change. */
  async verify(token: string, bookingId: string): Promise<DownloadGrant> {
    const claims = this.tokens.verify(token);
    // Without a jti the token could not be made single-use; without a sub it names no buyer.
    if (
      !claims ||
      claims.type !== 'download' ||
      claims.booking_id !== bookingId.toLowerCase() ||
      !claims.jti ||
      !claims.sub
    ) {
      throw new DomainError('invalid_token', 'Invalid or expired download token');
    }
    if (await this.blacklist.isRevoked(claims.jti)) throw alreadyUsed();
    const owner = isUuid(claims.sub) ? await this.users.findOneBy({ id: claims.sub }) : null;
    if (owner && this.tokens.predatesPasswordChange(claims, owner.passwordChangedAt)) {
      throw new DomainError('password_changed', 'Token invalidated by password change');
    }
    return { buyerId: claims.sub, jti: claims.jti, expiresAt: this.tokens.expiryOf(claims) };
  }

  /** Check 7: the unique jti makes the token single-use, also when two downloads race. */
  async consume(grant: DownloadGrant): Promise<void> {
    if (!(await this.blacklist.revoke(this.dataSource.manager, grant.jti, grant.expiresAt))) {
      throw alreadyUsed();
    }
  }
}

function alreadyUsed(): DomainError {
  return new DomainError('token_revoked', 'Download token has already been used');
}
