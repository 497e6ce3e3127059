import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { METRIC } from '../../../observability/metrics/metrics';
import { MechanicAccounts } from '../../domain/mechanic-accounts';
import { PasswordHasher } from '../../domain/password-hasher';
import { VerificationMailer } from '../../domain/verification-mailer';
import { RegisterUserCommand } from './register-user.command';

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
      if (request.role === 'mechanic') await this.mechanics.openProfile(manager, rows[0].id);
      await this.verification.send(manager, { id: rows[0].id, email: request.email });
      return rows[0].id;
    });
    if (!created) return;
    this.registered.inc({ role: request.role });
    this.logger.log({ event: 'user_registered', user_id: created, role: request.role });
  }
}
