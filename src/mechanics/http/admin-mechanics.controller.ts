import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { LargePageQuery } from '../../common/http/page.query';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { CurrentUser, RequireRole } from '../../identity/auth/auth.decorators';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { VerifyMechanicCommand } from '../commands/verify-mechanic/verify-mechanic.command';
import { ListPendingVerificationsQuery } from '../queries/list-pending-verifications/list-pending-verifications.query';
import { MechanicIdParam, VerifyMechanicRequest } from './mechanics.requests';

/** Admin endpoints 32 and 33 (identity §2.3): the review of mechanics' identity papers. */
@ApiTags('admin')
@Controller('admin/mechanics')
@RequireRole('admin')
@RateLimit('admin')
export class AdminMechanicsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('pending-verification')
  pending(@Query() page: LargePageQuery) {
    return this.queries.execute(new ListPendingVerificationsQuery(page.limit, page.offset));
  }

  @Patch(':mechanic_id/verify')
  verify(
    @CurrentUser() admin: UserEntity,
    @Param() params: MechanicIdParam,
    @Body() body: VerifyMechanicRequest,
  ) {
    return this.commands.execute(new VerifyMechanicCommand(admin.id, params.mechanic_id, body.approved));
  }
}
