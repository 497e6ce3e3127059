import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { type Repository } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { LoginLockout } from '../../domain/login-lockout';
import { PasswordHasher } from '../../domain/password-hasher';
import { TokenService, type TokenPair } from '../../domain/token.service';
import { UserEntity } from '../../persistence/user.entity';
import { LoginCommand } from './login.command';

const INVALID_CREDENTIALS = 'Invalid email or password';

/** identity §2.1-4 with HEAD's refusals of deactivated and unverified accounts (§10). */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LoginLockout,
    private readonly tokens: TokenService,
  ) {}

  async execute({ email, password }: LoginCommand): Promise<TokenPair> {
    if (await this.lockout.isLocked(email)) {
      throw new DomainError('login_locked', 'Too many failed login attempts. Please try again later.');
    }
    const user = await this.users.findOneBy({ email });
    const valid = user
      ? await this.hasher.verify(password, user.passwordHash)
      : await this.hasher.verifyDummy(password);
    if (!user || !valid) {
      await this.lockout.recordFailure(email);
      throw new DomainError('invalid_credentials', INVALID_CREDENTIALS);
    }
    if (!user.isActive) {
      throw new DomainError(
        'account_deactivated',
        'Account has been deactivated. Contact support for more information.',
      );
    }
    if (!user.isVerified) {
      throw new DomainError(
        'email_not_verified',
        'Email verification required. Please verify your email before logging in.',
      );
    }
    await this.lockout.clear(email);
    this.logger.log({ event: 'user_login', user_id: user.id });
    return this.tokens.issuePair(user.id);
  }
}
