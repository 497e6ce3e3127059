import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { PasswordHasher } from '../../domain/password-hasher';
import { TokenService } from '../../domain/token.service';
import { TokenBlacklist } from '../../persistence/token-blacklist';
import { ResetPasswordCommand } from './reset-password.command';
import { isUuid } from '../../../common/uuid';

/**
 * identity §2.1-12: the token's jti is revoked first (single use under concurrency); a missing user
 * rolls everything back so the token stays usable. The new password kills every earlier token.
 */
@CommandHandler(ResetPasswordCommand)
export class ResetPasswordHandler implements ICommandHandler<ResetPasswordCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly blacklist: TokenBlacklist,
  ) {}

  async execute({ token, newPassword }: ResetPasswordCommand): Promise<void> {
    const claims = this.tokens.verify(token);
    if (!claims || claims.type !== 'password_reset' || !claims.sub) {
      throw new DomainError('invalid_reset_token', 'Invalid or expired reset token');
    }
    if (!claims.jti) throw new DomainError('invalid_reset_token', 'Invalid token');
    const { sub: userId, jti } = claims;
    const passwordHash = await this.hasher.hash(newPassword);
    await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.blacklist.revoke(manager, jti, this.tokens.expiryOf(claims)))) {
        throw new DomainError('token_already_used', 'This token has already been used');
      }
      const [, updated]: [unknown, number] = isUuid(userId)
        ? await manager.query(
            'UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = now() WHERE id = $1',
            [userId, passwordHash, this.clock.now()],
          )
        : [null, 0];
      if (updated === 0) throw new DomainError('not_found', 'User not found');
    });
    this.logger.log({ event: 'password_reset_completed', user_id: userId });
  }
}
