import { Command } from '@nestjs/cqrs';
import { type MechanicDetail } from '../../http/mechanic.responses';
import { type UpdateProfileRequest } from '../../http/mechanics.requests';

export class UpdateProfileCommand extends Command<MechanicDetail> {
  constructor(
    readonly profileId: string,
    readonly changes: UpdateProfileRequest,
  ) {
    super();
  }
}
