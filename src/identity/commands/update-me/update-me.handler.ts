import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction, isUniqueViolation } from '../../../database/transactions';
import { TokenService } from '../../domain/token.service';
import { MechanicAccounts } from '../../domain/mechanic-accounts';
import { VerificationMailer } from '../../domain/verification-mailer';
import { TokenBlacklist } from '../../persistence/token-blacklist';
import { userResponse, type UserResponse } from '../../http/user.response';
import { UserEntity } from '../../persistence/user.entity';
import { UpdateMeCommand } from './update-me.command';

/**
 * PATCH /auth/me: only the fields present change. A new e-mail must be verified again and, as in
 * HEAD, ends every session (the presented token is revoked, the others die by the H-004 rule); a
 * taken address is a 409 even when another request wins the race (N8).
 */
@CommandHandler(UpdateMeCommand)
export class UpdateMeHandler implements ICommandHandler<UpdateMeCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly verification: VerificationMailer,
    private readonly tokens: TokenService,
    private readonly blacklist: TokenBlacklist,
    private readonly mechanics: MechanicAccounts,
  ) {}

  async execute({ userId, presentedToken, changes }: UpdateMeCommand): Promise<UserResponse> {
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const users = manager.getRepository(UserEntity);
        const user = await users.findOneOrFail({
          where: { id: userId },
          lock: { mode: 'pessimistic_write' },
        });
        if (changes.first_name !== undefined) user.firstName = changes.first_name;
        if (changes.last_name !== undefined) user.lastName = changes.last_name;
        if (changes.phone !== undefined) user.phone = changes.phone;
        const emailChanged = changes.email !== undefined && changes.email !== user.email;
        if (emailChanged) {
          if (await users.existsBy({ email: changes.email })) throw emailInUse();
          user.email = changes.email!;
          user.isVerified = false;
          user.passwordChangedAt = this.clock.now();
        }
        await users.save(user);
        if (emailChanged) {
          await this.verification.send(manager, user);
          // The 500 ms tolerance must not keep the very token that changed the address alive.
          if (presentedToken.jti)
            await this.blacklist.revoke(manager, presentedToken.jti, this.tokens.expiryOf(presentedToken));
        }
        const profile =
          user.role === 'mechanic' ? await this.mechanics.profileSummary(manager, user.id) : null;
        return userResponse(user, profile);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'ix_users_email')) throw emailInUse();
      throw error;
    }
  }
}

function emailInUse(): DomainError {
  return new DomainError('email_in_use', 'Email already in use');
}
