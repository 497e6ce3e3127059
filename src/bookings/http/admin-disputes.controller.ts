import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { LargePageQuery } from '../../common/http/page.query';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { RequireRole } from '../../identity/auth/auth.decorators';
import { ListDisputesQuery } from '../queries/list-disputes/list-disputes.query';

/** `status` is checked by the handler: an unknown one is the spec's 400, not a 422. */
export class ListDisputesParams extends LargePageQuery {
  @IsOptional()
  @IsString()
  status: string = 'open';
}

/** Admin endpoint 35 (identity §2.3, bookings-payments §9.4); resolution is PATCH /payments/disputes/resolve. */
@ApiTags('admin')
@Controller('admin/disputes')
@RequireRole('admin')
@RateLimit('admin')
export class AdminDisputesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@Query() params: ListDisputesParams) {
    return this.queries.execute(new ListDisputesQuery(params.status, params.limit, params.offset));
  }
}
