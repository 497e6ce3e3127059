import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { TokenService } from '../domain/token.service';
import { tokenHolder } from '../persistence/token-holder';
import { type AuthenticatedRequest } from './authenticated-request';
import { bearerToken } from './bearer-token';
import { isUuid } from '../../common/uuid';

/** The user guard: the exact check sequence and messages of identity §3 (with HEAD's is_active). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly tokens: TokenService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const claims = this.tokens.verify(bearerToken(request));
    if (!claims || claims.type !== 'access' || !claims.sub) {
      throw new DomainError('invalid_token', 'Invalid authentication token');
    }
    if (!claims.jti) throw new DomainError('invalid_token', 'Invalid token');
    const { revoked, user } = await tokenHolder(
      this.dataSource.manager,
      claims.jti,
      isUuid(claims.sub) ? claims.sub : null,
    );
    if (revoked) {
      this.logger.warn({ event: 'revoked_token_used', jti: claims.jti, user_id: claims.sub });
      throw new DomainError('token_revoked', 'Token has been revoked');
    }
    if (!user) throw new DomainError('user_not_found', 'User not found');
    if (!user.isActive) {
      throw new DomainError(
        'account_deactivated',
        'Account has been deactivated. Contact support for more information.',
      );
    }
    if (this.tokens.predatesPasswordChange(claims, user.passwordChangedAt)) {
      throw new DomainError('password_changed', 'Token invalidated by password change');
    }
    request.auth = { user, claims };
    return true;
  }
}
