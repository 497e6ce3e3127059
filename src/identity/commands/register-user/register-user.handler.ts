import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { METRIC } from '../../../observability/metrics/metrics';
import { MechanicAccounts } from '../../domain/mechanic-accounts';
import { PasswordHasher } from '../../domain/password-hasher';
import { VerificationMailer } from '../../domain/verification-mailer';
import { RegisterUserCommand } from './register-user.command';
import { ReferralRedemptions } from './referral-redemptions';

/**
 * HEAD registration (decision D1): the answer is the same whether or not the address exists, and
 * concurrent registrations of one address create exactly one account (M-010): the insert simply
 * does nothing on a taken address, so there is no unique-violation path at all.
 */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly verification: VerificationMailer,
    private readonly mechanics: MechanicAccounts,
    private readonly referrals: ReferralRedemptions,
    @InjectMetric(METRIC.usersRegistered) private readonly registered: Counter<string>,
  ) {}

  async execute({ request }: RegisterUserCommand): Promise<void> {
    // Hashed whether or not the address is taken, so the answer time does not tell either.
    const passwordHash = await this.hasher.hash(request.password);
    const created = await inTransaction(this.dataSource, async (manager) => {
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO users (email, password_hash, role, first_name, last_name, phone)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING RETURNING id`,
        [
          request.email,
          passwordHash,
          request.role,
          request.first_name ?? null,
          request.last_name ?? null,
          request.phone ?? null,
        ],
      );
      if (rows.length === 0) return null;
      // In the same transaction: a mechanic account never exists without its profile (AUTH-02).
      if (request.role === 'mechanic')
        await this.openMechanicProfile(manager, rows[0].id, request.referral_code);
      await this.verification.send(manager, { id: rows[0].id, email: request.email });
      return rows[0].id;
    });
    if (!created) return;
    this.registered.inc({ role: request.role });
    this.logger.log({ event: 'user_registered', user_id: created, role: request.role });
  }

  /**
   * The referral hook (messaging-reports §2.4): only mechanics are referred (a buyer's code is
   * ignored), and an unknown code fails the whole registration, the user row included. A taken
   * address never gets here, so its anti-enumeration answer comes before the code is looked at.
   */
  private async openMechanicProfile(manager: EntityManager, userId: string, referralCode?: string) {
    const referredBy = referralCode || null; // an empty code is no code
    if (referredBy && !(await this.referrals.redeem(manager, referredBy)))
      throw new DomainError('invalid_referral_code', 'Invalid referral code');
    await this.mechanics.openProfile(manager, userId, referredBy);
  }
}
