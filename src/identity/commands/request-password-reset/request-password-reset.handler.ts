import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { inTransaction } from '../../../database/transactions';
import { MailOutbox } from '../../../mail/mail.module';
import { passwordResetEmail } from '../../../mail/templates';
import { TokenService } from '../../domain/token.service';
import { UserEntity } from '../../persistence/user.entity';
import { RequestPasswordResetCommand } from './request-password-reset.command';

/** Forgot-password: a 1 h single-use link by e-mail; the same answer whether or not the account exists. */
@CommandHandler(RequestPasswordResetCommand)
export class RequestPasswordResetHandler implements ICommandHandler<RequestPasswordResetCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: TokenService,
    private readonly mail: MailOutbox,
  ) {}

  async execute({ email }: RequestPasswordResetCommand): Promise<void> {
    const userId = await inTransaction(this.dataSource, async (manager) => {
      const user = await manager.getRepository(UserEntity).findOneBy({ email });
      if (!user) return null;
      const token = this.tokens.issue('password_reset', user.id).token;
      const link = `${this.config.FRONTEND_URL}/reset-password?token=${encodeURIComponent(token)}`;
      await this.mail.enqueue(manager, passwordResetEmail(user.email, link));
      return user.id;
    });
    if (userId) this.logger.log({ event: 'password_reset_requested', user_id: userId });
  }
}
