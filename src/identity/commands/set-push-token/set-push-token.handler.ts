import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { type Repository } from 'typeorm';
import { UserEntity } from '../../persistence/user.entity';
import { SetPushTokenCommand } from './set-push-token.command';

@CommandHandler(SetPushTokenCommand)
export class SetPushTokenHandler implements ICommandHandler<SetPushTokenCommand> {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async execute({ userId, token }: SetPushTokenCommand): Promise<void> {
    await this.users.update({ id: userId }, { expoPushToken: token });
  }
}
