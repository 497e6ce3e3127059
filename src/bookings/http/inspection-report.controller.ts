import { Body, Controller, Get, Header, Param, Patch, StreamableFile, UploadedFiles } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
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
import { FileFieldsUpload, requiredFile, type UploadedFields } from '../../storage/single-file-upload';
import { CheckOutCommand } from '../commands/check-out/check-out.command';
import { MAX_ADDITIONAL_PHOTOS } from '../commands/check-out/check-out-form';
import { GetReportQuery } from '../queries/get-report/get-report.query';
import { BookingIdParam } from './booking-requests';
import { CheckOutRequest } from './inspection-report.requests';

const PHOTO_FIELDS = ['photo_plate', 'photo_odometer', 'additional_photos'] as const;

/** bookings-payments §3.7 and issue 8: the mechanic's check-out, and the private report it produces. */
@ApiTags('bookings')
@Controller('bookings')
export class InspectionReportController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** One photo more than allowed is let through, so that the handler answers it in the §3.7 order. */
  @Patch(':booking_id/check-out')
  @RequireRole('mechanic')
  @RateLimit('check_out')
  @FileFieldsUpload(PHOTO_FIELDS, { additional_photos: MAX_ADDITIONAL_PHOTOS + 1 })
  checkOut(
    @CurrentUser() user: UserEntity,
    @CurrentMechanic() mechanic: MechanicAccountState,
    @Param() params: BookingIdParam,
    @Body() body: CheckOutRequest,
    @UploadedFiles() files: UploadedFields<(typeof PHOTO_FIELDS)[number]> = {},
  ) {
    return this.commands.execute(
      new CheckOutCommand(
        params.booking_id,
        user.id,
        mechanic.profileId,
        {
          enteredOdometerKm: body.entered_odometer_km,
          checklistJson: body.checklist_json,
          enteredPlate: body.entered_plate ?? null,
          gpsLat: body.gps_lat ?? null,
          gpsLng: body.gps_lng ?? null,
        },
        {
          plate: requiredFile(files.photo_plate?.[0], 'photo_plate'),
          odometer: requiredFile(files.photo_odometer?.[0], 'photo_odometer'),
          additional: files.additional_photos ?? [],
        },
      ),
    );
  }

  @Get(':booking_id/report')
  @Authenticated()
  @RateLimit('booking_read')
  // A private document: no shared cache may keep it.
  @Header('Cache-Control', 'private, no-store')
  async report(@CurrentUser() user: UserEntity, @Param() params: BookingIdParam): Promise<StreamableFile> {
    const pdf = await this.queries.execute(
      new GetReportQuery({ userId: user.id, role: user.role }, params.booking_id),
    );
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="report-${params.booking_id}.pdf"`,
    });
  }
}
