import { Query } from '@nestjs/cqrs';
import { type UserResponse } from '../../http/user.response';
import { type UserEntity } from '../../persistence/user.entity';

export class GetMeQuery extends Query<UserResponse> {
  constructor(readonly user: UserEntity) {
    super();
  }
}
