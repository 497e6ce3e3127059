import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MechanicAccounts } from '../../domain/mechanic-accounts';
import { userResponse, type UserResponse } from '../../http/user.response';
import { GetMeQuery } from './get-me.query';

/** GET /auth/me: the user the guard loaded, with the mechanic profile for mechanics (AUTH-07). */
@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mechanics: MechanicAccounts,
  ) {}

  async execute({ user }: GetMeQuery): Promise<UserResponse> {
    const profile =
      user.role === 'mechanic' ? await this.mechanics.profileSummary(this.dataSource.manager, user.id) : null;
    return userResponse(user, profile);
  }
}
