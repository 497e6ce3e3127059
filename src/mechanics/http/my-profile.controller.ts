import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  UploadedFile,
  UploadedFiles,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { CurrentMechanic, RequireRole } from '../../identity/auth/auth.decorators';
import { type MechanicAccountState } from '../../identity/domain/mechanic-accounts';
import {
  FileFieldsUpload,
  requiredFile,
  SingleFileUpload,
  type UploadedFields,
} from '../../storage/single-file-upload';
import { type UploadedFile as StoredFileInput } from '../../storage/upload-policy';
import { AddDiplomaCommand } from '../commands/add-diploma/add-diploma.command';
import { DeleteDiplomaCommand } from '../commands/delete-diploma/delete-diploma.command';
import { UpdateProfileCommand } from '../commands/update-profile/update-profile.command';
import { UploadProfileFilesCommand } from '../commands/upload-profile-files/upload-profile-files.command';
import { GetMyStatsQuery } from '../queries/get-my-stats/get-my-stats.query';
import { AddDiplomaRequest, DiplomaIdParam, UpdateProfileRequest } from './mechanics.requests';

const IDENTITY_PARTS = ['identity_document', 'selfie_with_id', 'cv'] as const;

/**
 * Endpoints 17–23 (identity §2.2): the mechanic's own profile. All take the onboarding guard, so a
 * newly registered mechanic, inactive until approved, can complete the profile (N1).
 */
@ApiTags('mechanics')
@Controller('mechanics/me')
@RequireRole('mechanic_onboarding')
export class MyProfileController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('stats')
  @RateLimit('mechanic')
  stats(@CurrentMechanic() mechanic: MechanicAccountState) {
    return this.queries.execute(new GetMyStatsQuery(mechanic.profileId));
  }

  @Put()
  @RateLimit('mechanic')
  update(@CurrentMechanic() mechanic: MechanicAccountState, @Body() body: UpdateProfileRequest) {
    return this.commands.execute(new UpdateProfileCommand(mechanic.profileId, body));
  }

  @Post('identity')
  @RateLimit('mechanic_upload')
  @HttpCode(200)
  @FileFieldsUpload(IDENTITY_PARTS)
  async uploadIdentity(
    @CurrentMechanic() mechanic: MechanicAccountState,
    @UploadedFiles() files: UploadedFields<(typeof IDENTITY_PARTS)[number]> = {},
  ) {
    await this.commands.execute(
      new UploadProfileFilesCommand(mechanic.profileId, {
        identityDocument: requiredFile(files.identity_document?.[0], 'identity_document'),
        selfieWithId: requiredFile(files.selfie_with_id?.[0], 'selfie_with_id'),
        cv: files.cv?.[0],
      }),
    );
    return { status: 'uploaded', message: 'Documents uploaded. Awaiting admin verification.' };
  }

  @Post('photo')
  @RateLimit('mechanic_upload')
  @HttpCode(200)
  @SingleFileUpload('photo')
  async uploadPhoto(
    @CurrentMechanic() mechanic: MechanicAccountState,
    @UploadedFile() file?: StoredFileInput,
  ) {
    const stored = await this.commands.execute(
      new UploadProfileFilesCommand(mechanic.profileId, { photo: requiredFile(file, 'photo') }),
    );
    return { photo_url: stored.photo };
  }

  @Post('cv')
  @RateLimit('mechanic_upload')
  @HttpCode(200)
  @SingleFileUpload('cv')
  async uploadCv(@CurrentMechanic() mechanic: MechanicAccountState, @UploadedFile() file?: StoredFileInput) {
    const stored = await this.commands.execute(
      new UploadProfileFilesCommand(mechanic.profileId, { cv: requiredFile(file, 'cv') }),
    );
    return { cv_url: stored.cv, has_cv: true };
  }

  @Post('diplomas')
  @RateLimit('mechanic_upload')
  @SingleFileUpload('document')
  addDiploma(
    @CurrentMechanic() mechanic: MechanicAccountState,
    @Body() body: AddDiplomaRequest,
    @UploadedFile() document?: StoredFileInput,
  ) {
    return this.commands.execute(
      new AddDiplomaCommand(mechanic.profileId, body.name, body.year ?? null, document),
    );
  }

  @Delete('diplomas/:diploma_id')
  @RateLimit('mechanic')
  @HttpCode(204)
  async deleteDiploma(@CurrentMechanic() mechanic: MechanicAccountState, @Param() params: DiplomaIdParam) {
    await this.commands.execute(new DeleteDiplomaCommand(mechanic.profileId, params.diploma_id));
  }
}
