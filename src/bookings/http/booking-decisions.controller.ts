import { Body, Controller, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import {
  Authenticated,
  CurrentMechanic,
  CurrentUser,
  RequireRole,
} from '../../identity/auth/auth.decorators';
import { type MechanicAccountState } from '../../identity/domain/mechanic-accounts';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { AcceptBookingCommand } from '../commands/accept-booking/accept-booking.command';
import { CancelBookingCommand } from '../commands/cancel-booking/cancel-booking.command';
import { RefuseBookingCommand } from '../commands/refuse-booking/refuse-booking.command';
import { RefuseBookingRequest } from './booking-decisions.requests';
import { BookingIdParam } from './booking-requests';

/** bookings-payments §3.2–§3.4: the decisions on a booking, each a command under the row lock. */
@ApiTags('bookings')
@Controller('bookings')
export class BookingDecisionsController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':booking_id/accept')
  @RequireRole('mechanic')
  @RateLimit('booking_decision')
  accept(
    @CurrentUser() user: UserEntity,
    @CurrentMechanic() mechanic: MechanicAccountState,
    @Param() params: BookingIdParam,
  ) {
    return this.commands.execute(new AcceptBookingCommand(params.booking_id, user.id, mechanic.profileId));
  }

  @Patch(':booking_id/refuse')
  @RequireRole('mechanic')
  @RateLimit('booking_decision')
  refuse(
    @CurrentUser() user: UserEntity,
    @CurrentMechanic() mechanic: MechanicAccountState,
    @Param() params: BookingIdParam,
    @Body() body: RefuseBookingRequest,
  ) {
    return this.commands.execute(
      new RefuseBookingCommand(
        params.booking_id,
        user.id,
        mechanic.profileId,
        body.reason,
        body.proposed_time ?? null,
      ),
    );
  }

  /** The plain user guard: suspended or deactivated mechanics may still cancel (§3.4). */
  @Patch(':booking_id/cancel')
  @Authenticated()
  @RateLimit('booking_decision')
  cancel(@CurrentUser() user: UserEntity, @Param() params: BookingIdParam) {
    return this.commands.execute(
      new CancelBookingCommand(params.booking_id, {
        id: user.id,
        role: user.role,
        isVerified: user.isVerified,
      }),
    );
  }
}
