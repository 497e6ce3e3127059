import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { GetMechanicQuery } from '../queries/get-mechanic/get-mechanic.query';
import { SearchMechanicsQuery } from '../queries/search-mechanics/search-mechanics.query';
import { MechanicIdParam, SearchMechanicsParams } from './mechanics.requests';

/**
 * Public endpoints 16 and 27. Registered after the `me/…` and `availabilities` controllers, so those
 * static paths win over `{mechanic_id}`; `GET /mechanics/me` is a 422 (not a UUID), as in the original.
 */
@ApiTags('mechanics')
@Controller('mechanics')
@RateLimit('list')
export class MechanicsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  search(@Query() query: SearchMechanicsParams) {
    return this.queries.execute(new SearchMechanicsQuery(query));
  }

  @Get(':mechanic_id')
  detail(@Param() params: MechanicIdParam) {
    return this.queries.execute(new GetMechanicQuery(params.mechanic_id));
  }
}
