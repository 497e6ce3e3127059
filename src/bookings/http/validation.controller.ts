import { Body, Controller, Param, Patch, UploadedFiles } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { CurrentUser, RequireRole } from '../../identity/auth/auth.decorators';
import { type UserEntity } from '../../identity/persistence/user.entity';
import { RepeatedFileUpload } from '../../storage/single-file-upload';
import { type UploadedFile } from '../../storage/upload-policy';
import {
  ValidateBookingCommand,
  ValidateWithPhotosCommand,
  type Verdict,
} from '../commands/validate-booking/validate-booking.command';
import { BookingIdParam } from './booking-requests';
import { ValidateBookingRequest, ValidateWithPhotosForm } from './validation.requests';

/**
 * More photos than a dispute keeps are still read, so that the handler answers its own 400
 * ("Maximum 5 photos allowed") in the spec's order; beyond this, multer refuses the request.
 */
const PHOTOS_READ = 10;

/** bookings-payments §3.8–§3.9: the buyer accepts the inspection or disputes it. */
@ApiTags('bookings')
@Controller('bookings')
export class ValidationController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':booking_id/validate')
  @RequireRole('verified_buyer')
  @RateLimit('booking_decision')
  validate(
    @CurrentUser() user: UserEntity,
    @Param() params: BookingIdParam,
    @Body() body: ValidateBookingRequest,
  ) {
    // The schema required the reason and the description of a dispute (DISP-02).
    const verdict: Verdict = body.validated
      ? { validated: true }
      : { validated: false, reason: body.problem_reason!, description: body.problem_description! };
    return this.commands.execute(new ValidateBookingCommand(params.booking_id, user.id, verdict));
  }

  @Patch(':booking_id/validate-with-photos')
  @RequireRole('verified_buyer')
  @RateLimit('validate_with_photos')
  @RepeatedFileUpload('photos', PHOTOS_READ)
  validateWithPhotos(
    @CurrentUser() user: UserEntity,
    @Param() params: BookingIdParam,
    @Body() body: ValidateWithPhotosForm,
    @UploadedFiles() photos: UploadedFile[] | undefined,
  ) {
    return this.commands.execute(
      new ValidateWithPhotosCommand(params.booking_id, user.id, {
        validated: body.validated,
        problemReason: body.problem_reason,
        problemDescription: body.problem_description,
        photos: photos ?? [],
      }),
    );
  }
}
