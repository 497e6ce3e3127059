import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '../../../database/transactions';
import { VerificationMailer } from '../../domain/verification-mailer';
import { UserEntity } from '../../persistence/user.entity';
import { ResendVerificationCommand } from './resend-verification.command';

/** Same answer whatever the address (anti-enumeration); a new code only for an unverified account. */
@CommandHandler(ResendVerificationCommand)
export class ResendVerificationHandler implements ICommandHandler<ResendVerificationCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly verification: VerificationMailer,
  ) {}

  async execute({ email }: ResendVerificationCommand): Promise<void> {
    const userId = await inTransaction(this.dataSource, async (manager) => {
      const user = await manager
        .getRepository(UserEntity)
        .findOne({ where: { email }, lock: { mode: 'pessimistic_write' } });
      if (!user || user.isVerified) return null;
      await this.verification.send(manager, user);
      return user.id;
    });
    if (userId) this.logger.log({ event: 'verification_email_resent', user_id: userId });
  }
}
