import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { inTransaction } from '../../../database/transactions';
import { TokenService } from '../../domain/token.service';
import { MAX_VERIFICATION_ATTEMPTS, verificationCodeMatches } from '../../domain/verification-code';
import { TokenBlacklist } from '../../persistence/token-blacklist';
import { UserEntity } from '../../persistence/user.entity';
import { VerifyEmailCommand, type VerifyEmailResult } from './verify-email.command';

const INVALID_CODE = 'Invalid or expired verification code';

/** The link flow (identity §2.1-2) and HEAD's code flow (§10), whose failed attempts always count (N26). */
@CommandHandler(VerifyEmailCommand)
export class VerifyEmailHandler implements ICommandHandler<VerifyEmailCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tokens: TokenService,
    private readonly blacklist: TokenBlacklist,
  ) {}

  execute({ request }: VerifyEmailCommand): Promise<VerifyEmailResult> {
    if (request.token) return this.verifyLink(request.token);
    if (request.code && request.email) return this.verifyCode(request.email, request.code);
    throw new DomainError('invalid_verification', "Either 'token' or both 'code' and 'email' are required");
  }

  private async verifyLink(token: string): Promise<VerifyEmailResult> {
    const claims = this.tokens.verify(token);
    if (!claims || claims.type !== 'email_verify' || !claims.sub || !claims.jti) {
      throw new DomainError('invalid_verification', 'Invalid or expired verification token');
    }
    const { sub: email, jti } = claims;
    return inTransaction(this.dataSource, async (manager) => {
      if (await this.blacklist.isRevoked(jti, manager)) {
        throw new DomainError('invalid_verification', 'This verification token has already been used');
      }
      const user = await this.lockUserByEmail(manager, email);
      if (!user) throw new DomainError('not_found', 'User not found');
      if (user.isVerified) return { status: 'already_verified' };
      if (!(await this.blacklist.revoke(manager, jti, this.tokens.expiryOf(claims)))) {
        throw new DomainError('invalid_verification', 'This verification token has already been used');
      }
      await this.markVerified(manager, user.id);
      return { status: 'verified' };
    });
  }

  /**
   * A wrong or expired code commits its attempt before the error is answered: the outcome is
   * decided inside the transaction, the error thrown after it committed.
   */
  private async verifyCode(email: string, code: string): Promise<VerifyEmailResult> {
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const user = await this.lockUserByEmail(manager, email);
      if (!user) return 'unknown' as const;
      if (user.isVerified) return 'already_verified' as const;
      if (user.verificationCodeAttempts >= MAX_VERIFICATION_ATTEMPTS) return 'locked' as const;
      const expired = !user.verificationCodeExpiresAt || user.verificationCodeExpiresAt <= this.clock.now();
      if (expired || !verificationCodeMatches(this.config.JWT_SECRET, code, user.verificationCode)) {
        await manager.query(
          'UPDATE users SET verification_code_attempts = verification_code_attempts + 1 WHERE id = $1',
          [user.id],
        );
        return 'mismatch' as const;
      }
      await this.markVerified(manager, user.id);
      return 'verified' as const;
    });
    switch (outcome) {
      case 'verified':
      case 'already_verified':
        return { status: outcome };
      case 'locked':
        throw new DomainError(
          'verification_locked',
          'Too many attempts. Please request a new verification code.',
        );
      default:
        throw new DomainError('invalid_verification', INVALID_CODE);
    }
  }

  private lockUserByEmail(manager: EntityManager, email: string): Promise<UserEntity | null> {
    return manager
      .getRepository(UserEntity)
      .findOne({ where: { email }, lock: { mode: 'pessimistic_write' } });
  }

  private async markVerified(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE users SET is_verified = true, verification_code = NULL, verification_code_expires_at = NULL,
              verification_code_attempts = 0, updated_at = now() WHERE id = $1`,
      [userId],
    );
    this.logger.log({ event: 'email_verified', user_id: userId });
  }
}
