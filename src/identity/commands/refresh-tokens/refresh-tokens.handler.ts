import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { TokenService, type TokenPair } from '../../domain/token.service';
import { TokenBlacklist } from '../../persistence/token-blacklist';
import { UserEntity } from '../../persistence/user.entity';
import { RefreshTokensCommand } from './refresh-tokens.command';
import { isUuid } from '../../../common/uuid';

/**
 * Rotation (identity §2.1-5): the presented token is revoked in the same transaction that checks
 * the user, so a refused refresh leaves it usable; a concurrent second use of one token waits on the
 * jti index and is answered 401 "Token revoked" (N6). Password changes kill refresh tokens too (N5).
 */
@CommandHandler(RefreshTokensCommand)
export class RefreshTokensHandler implements ICommandHandler<RefreshTokensCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly blacklist: TokenBlacklist,
  ) {}

  async execute({ refreshToken }: RefreshTokensCommand): Promise<TokenPair> {
    const claims = this.tokens.verify(refreshToken);
    if (!claims || claims.type !== 'refresh' || !claims.sub || !claims.jti) {
      throw new DomainError('invalid_token', 'Invalid or expired refresh token');
    }
    const { sub: userId, jti } = claims;
    await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.blacklist.revoke(manager, jti, this.tokens.expiryOf(claims)))) {
        throw new DomainError('token_revoked', 'Token revoked');
      }
      const user = isUuid(userId) ? await manager.getRepository(UserEntity).findOneBy({ id: userId }) : null;
      if (!user) throw new DomainError('user_not_found', 'User not found');
      if (!user.isActive) throw new DomainError('account_deactivated', 'Account has been deactivated');
      if (this.tokens.predatesPasswordChange(claims, user.passwordChangedAt)) {
        throw new DomainError('password_changed', 'Refresh token invalidated by password change');
      }
    });
    this.logger.log({ event: 'token_refreshed', user_id: userId });
    return this.tokens.issuePair(userId);
  }
}
