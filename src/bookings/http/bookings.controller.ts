import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { LargePageQuery } from '../../common/http/page.query';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import {
  Authenticated,
  CurrentMechanic,
  CurrentUser,
  RequireRole,
} from '../../identity/auth/auth.decorators';
import { type MechanicAccountState } from '../../identity/domain/mechanic-accounts';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { CreateBookingCommand } from '../commands/create-booking/create-booking.command';
import { UpdateLocationCommand } from '../commands/update-location/update-location.command';
import { type BookingReader } from '../queries/booking-surroundings';
import { GetBookingQuery } from '../queries/get-booking/get-booking.query';
import { GetLocationQuery } from '../queries/get-location/get-location.query';
import { ListMyBookingsQuery } from '../queries/list-my-bookings/list-my-bookings.query';
import { BookingIdParam, CreateBookingRequest, LocationUpdateRequest } from './booking-requests';

const reader = (user: UserEntity): BookingReader => ({ userId: user.id, role: user.role });

/** Creating and reading bookings, and the mechanic's position (bookings-payments §3.1, §3.10–§3.13). */
@ApiTags('bookings')
@Controller('bookings')
export class BookingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequireRole('verified_buyer')
  @RateLimit('booking_create')
  @HttpCode(201)
  // The answer carries the PaymentIntent's client secret (§3.1 [REC]).
  @Header('Cache-Control', 'no-store')
  create(@CurrentUser() user: UserEntity, @Body() body: CreateBookingRequest) {
    return this.commands.execute(
      new CreateBookingCommand({ id: user.id, emailVerified: user.isVerified }, body),
    );
  }

  /** Declared before `:booking_id`, which would otherwise take "me" (§3.0). */
  @Get('me')
  @Authenticated()
  @RateLimit('list')
  async listMine(
    @CurrentUser() user: UserEntity,
    @Query() page: LargePageQuery,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { items, total } = await this.queries.execute(
      new ListMyBookingsQuery(reader(user), page.limit, page.offset),
    );
    response.setHeader('X-Total-Count', String(total));
    return items;
  }

  @Get(':booking_id')
  @Authenticated()
  @RateLimit('booking_read')
  get(@CurrentUser() user: UserEntity, @Param() params: BookingIdParam) {
    return this.queries.execute(new GetBookingQuery(reader(user), params.booking_id));
  }

  /** The mechanic guard (§12.4, adopted): suspended or deactivated mechanics cannot post positions. */
  @Patch(':booking_id/location')
  @RequireRole('mechanic')
  @RateLimit('location_update')
  updateLocation(
    @CurrentMechanic() mechanic: MechanicAccountState,
    @Param() params: BookingIdParam,
    @Body() body: LocationUpdateRequest,
  ) {
    return this.commands.execute(
      new UpdateLocationCommand(mechanic.profileId, params.booking_id, { lat: body.lat, lng: body.lng }),
    );
  }

  @Get(':booking_id/location')
  @Authenticated()
  @RateLimit('location_read')
  location(@CurrentUser() user: UserEntity, @Param() params: BookingIdParam) {
    return this.queries.execute(new GetLocationQuery(reader(user), params.booking_id));
  }
}
