import { Body, Controller, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { CurrentUser, RequireRole } from '../../identity/auth/auth.decorators';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { ResolveDisputeCommand } from '../commands/resolve-dispute/resolve-dispute.command';
import { ResolveDisputeRequest } from './dispute-resolution.requests';

/**
 * bookings-payments §9.3. The path is the payments router's, for the admin dashboard; the command
 * is the bookings module's, since resolving a dispute is a booking transition.
 */
@ApiTags('payments')
@Controller('payments/disputes')
export class DisputeResolutionController {
  constructor(private readonly commands: CommandBus) {}

  @Patch('resolve')
  @RequireRole('admin')
  @RateLimit('admin')
  resolve(@CurrentUser() admin: UserEntity, @Body() body: ResolveDisputeRequest) {
    return this.commands.execute(
      new ResolveDisputeCommand(body.dispute_id, body.resolution, body.resolution_notes ?? '', admin.id),
    );
  }
}
