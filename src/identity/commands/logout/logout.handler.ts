import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { TokenService } from '../../domain/token.service';
import { TokenBlacklist } from '../../persistence/token-blacklist';
import { LogoutCommand, type LogoutResult } from './logout.command';

/** identity §2.1-10: the user row is not loaded; the access token (and a given refresh token) die. */
@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly blacklist: TokenBlacklist,
  ) {}

  async execute({ accessToken, refreshToken }: LogoutCommand): Promise<LogoutResult> {
    const claims = this.tokens.verify(accessToken);
    if (!claims) throw new DomainError('invalid_token', 'Invalid authentication token');
    if (claims.type !== 'access')
      throw new DomainError('invalid_logout_token', 'Only access tokens can be used for logout');
    if (!claims.jti) throw new DomainError('invalid_logout_token', 'Token does not contain a jti claim');
    const { jti } = claims;
    const refreshClaims = refreshToken ? this.tokens.verify(refreshToken) : null;
    if (refreshToken && !refreshClaims) this.logger.warn({ event: 'invalid_refresh_token_on_logout' });

    const revoked = await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.blacklist.revoke(manager, jti, this.tokens.expiryOf(claims)))) return false;
      // Only a refresh token is revoked here (the original revoked a token of any type: N30).
      if (refreshClaims?.jti && refreshClaims.type === 'refresh') {
        await this.blacklist.revoke(manager, refreshClaims.jti, this.tokens.expiryOf(refreshClaims));
      }
      return true;
    });
    if (!revoked) return { status: 'already_logged_out' };
    this.logger.log({ event: 'user_logged_out', jti });
    return { status: 'logged_out' };
  }
}
