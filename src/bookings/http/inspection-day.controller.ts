import { Body, Controller, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { CurrentMechanic, CurrentUser, RequireRole } from '../../identity/auth/auth.decorators';
import { type MechanicAccountState } from '../../identity/domain/mechanic-accounts';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { CheckInCommand } from '../commands/check-in/check-in.command';
import { EnterCodeCommand } from '../commands/enter-code/enter-code.command';
import { BookingIdParam } from './booking-requests';
import { CheckInRequest, EnterCodeRequest } from './inspection-day.requests';

/** bookings-payments §3.5–§3.6: the day of the inspection, each step a command under the row lock. */
@ApiTags('bookings')
@Controller('bookings')
export class InspectionDayController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':booking_id/check-in')
  @RequireRole('verified_buyer')
  @RateLimit('booking_decision')
  checkIn(@CurrentUser() user: UserEntity, @Param() params: BookingIdParam, @Body() body: CheckInRequest) {
    return this.commands.execute(new CheckInCommand(params.booking_id, user.id, body.mechanic_present));
  }

  /** The per-IP limit sits on top of the 5 attempts per code (I-8). */
  @Patch(':booking_id/enter-code')
  @RequireRole('mechanic')
  @RateLimit('code_entry')
  enterCode(
    @CurrentUser() user: UserEntity,
    @CurrentMechanic() mechanic: MechanicAccountState,
    @Param() params: BookingIdParam,
    @Body() body: EnterCodeRequest,
  ) {
    return this.commands.execute(
      new EnterCodeCommand(params.booking_id, user.id, mechanic.profileId, body.code),
    );
  }
}
