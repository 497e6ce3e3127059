import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { Authenticated, CurrentMechanic, RequireRole } from '../../identity/auth/auth.decorators';
import { type MechanicAccountState } from '../../identity/domain/mechanic-accounts';
import { CreateAvailabilityCommand } from '../commands/create-availability/create-availability.command';
import { DeleteAvailabilityCommand } from '../commands/delete-availability/delete-availability.command';
import { ListAvailabilitiesQuery } from '../queries/list-availabilities/list-availabilities.query';
import {
  AvailabilityIdParam,
  CreateAvailabilityRequest,
  ListAvailabilitiesParams,
} from './mechanics.requests';

/** Endpoints 24–26 (identity §2.2). Publishing and withdrawing slots takes the strict mechanic guard. */
@ApiTags('mechanics')
@Controller('mechanics/availabilities')
export class AvailabilitiesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequireRole('mechanic')
  @RateLimit('mechanic')
  create(@CurrentMechanic() mechanic: MechanicAccountState, @Body() body: CreateAvailabilityRequest) {
    return this.commands.execute(new CreateAvailabilityCommand(mechanic.profileId, body));
  }

  /** Any signed-in user, as in HEAD (§10); the reference left it public. */
  @Get()
  @Authenticated()
  @RateLimit('list')
  list(@Query() query: ListAvailabilitiesParams) {
    return this.queries.execute(new ListAvailabilitiesQuery(query));
  }

  @Delete(':availability_id')
  @RequireRole('mechanic')
  @RateLimit('mechanic')
  @HttpCode(204)
  async remove(@CurrentMechanic() mechanic: MechanicAccountState, @Param() params: AvailabilityIdParam) {
    await this.commands.execute(new DeleteAvailabilityCommand(mechanic.profileId, params.availability_id));
  }
}
