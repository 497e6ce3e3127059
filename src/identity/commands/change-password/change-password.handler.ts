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
import { ChangePasswordCommand } from './change-password.command';

/** identity §2.1-13: the presented token is revoked; every other session dies by the H-004 rule. */
@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly blacklist: TokenBlacklist,
  ) {}

  async execute({ user, presentedToken, oldPassword, newPassword }: ChangePasswordCommand): Promise<void> {
    if (!(await this.hasher.verify(oldPassword, user.passwordHash))) {
      throw new DomainError('incorrect_password', 'Incorrect old password');
    }
    if (await this.hasher.verify(newPassword, user.passwordHash)) {
      throw new DomainError('password_unchanged', 'New password must be different from old password');
    }
    const passwordHash = await this.hasher.hash(newPassword);
    await inTransaction(this.dataSource, async (manager) => {
      await manager.query(
        'UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = now() WHERE id = $1',
        [user.id, passwordHash, this.clock.now()],
      );
      if (presentedToken.jti) {
        await this.blacklist.revoke(manager, presentedToken.jti, this.tokens.expiryOf(presentedToken));
      }
    });
    this.logger.log({ event: 'password_changed', user_id: user.id });
  }
}
