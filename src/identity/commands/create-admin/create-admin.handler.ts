import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { PasswordHasher } from '../../domain/password-hasher';
import { CreateAdminCommand } from './create-admin.command';

/** A verified, active admin; an address already in use is refused (exit 1 in the CLI). */
@CommandHandler(CreateAdminCommand)
export class CreateAdminHandler implements ICommandHandler<CreateAdminCommand> {
  private readonly logger = new Logger('Identity');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
  ) {}

  async execute({ admin }: CreateAdminCommand): Promise<{ id: string }> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO users (email, password_hash, role, first_name, last_name, is_verified)
       VALUES ($1, $2, 'admin', $3, $4, true) ON CONFLICT (email) DO NOTHING RETURNING id`,
      [
        admin.email,
        await this.hasher.hash(admin.password),
        admin.first_name ?? null,
        admin.last_name ?? null,
      ],
    );
    if (rows.length === 0) throw new DomainError('email_in_use', 'Email already in use');
    this.logger.log({ event: 'admin_created', user_id: rows[0].id });
    return rows[0];
  }
}
