import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { PasswordHasher } from '../../domain/password-hasher';
import { PersonalDataOwners } from '../../domain/personal-data-owners';
import { TokenService } from '../../domain/token.service';
import { TokenBlacklist } from '../../persistence/token-blacklist';
import { UserEntity } from '../../persistence/user.entity';
import { DeleteAccountCommand } from './delete-account.command';

/**
 * GDPR art. 17 (identity §2.1-14): every module owning personal data erases it, then the user row
 * is anonymised rather than deleted (bookings and reviews keep their references), all in one
 * transaction. The row is also deactivated, so no token of the account works again, however
 * recently issued (N9): the presented one is revoked (401), any other is refused (403).
 */
@CommandHandler(DeleteAccountCommand)
export class DeleteAccountHandler implements ICommandHandler<DeleteAccountCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly blacklist: TokenBlacklist,
    private readonly owners: PersonalDataOwners,
  ) {}

  async execute({ userId, presentedToken }: DeleteAccountCommand): Promise<void> {
    const unusablePassword = await this.hasher.hash(randomUUID());
    await inTransaction(this.dataSource, async (manager) => {
      const users = manager.getRepository(UserEntity);
      const { role } = await users.findOneByOrFail({ id: userId });
      if (role === 'admin') await this.refuseLastAdmin(manager);
      const user = await users.findOneOrFail({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      for (const owner of this.owners.all()) await owner.erase(manager, user);
      await manager.query(
        `UPDATE users SET email = $2, first_name = 'Utilisateur', last_name = 'Supprime', phone = NULL,
                is_active = false, password_hash = $3, expo_push_token = NULL, photo_url = NULL, verification_code = NULL,
                verification_code_expires_at = NULL, password_changed_at = $4, updated_at = now()
          WHERE id = $1`,
        [userId, `deleted_${randomUUID()}@deleted.emecano.local`, unusablePassword, this.clock.now()],
      );
      if (presentedToken.jti) {
        await this.blacklist.revoke(manager, presentedToken.jti, this.tokens.expiryOf(presentedToken));
      }
    });
    this.logger.log({ event: 'account_deleted', user_id: userId });
  }

  /**
   * Locks every active admin row in id order before anything else, so two admins deleting
   * themselves at once queue behind each other (no deadlock) and the second sees the first gone.
   */
  private async refuseLastAdmin(manager: EntityManager): Promise<void> {
    const admins: unknown[] = await manager.query(
      "SELECT id FROM users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE",
    );
    if (admins.length <= 1) {
      throw new DomainError(
        'last_admin',
        'Cannot delete the last admin account. Promote another user to admin first.',
      );
    }
  }
}
