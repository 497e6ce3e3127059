import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Patch,
  Post,
  Req,
  UploadedFile,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { type Request } from 'express';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { requiredFile, SingleFileUpload } from '../../storage/single-file-upload';
import { type UploadedFile as StoredFileInput } from '../../storage/upload-policy';
import { Authenticated, CurrentToken, CurrentUser } from '../auth/auth.decorators';
import { bearerToken } from '../auth/bearer-token';
import { ChangePasswordCommand } from '../commands/change-password/change-password.command';
import { DeleteAccountCommand } from '../commands/delete-account/delete-account.command';
import { LoginCommand } from '../commands/login/login.command';
import { LogoutCommand } from '../commands/logout/logout.command';
import { RefreshTokensCommand } from '../commands/refresh-tokens/refresh-tokens.command';
import { RegisterUserCommand } from '../commands/register-user/register-user.command';
import { RequestPasswordResetCommand } from '../commands/request-password-reset/request-password-reset.command';
import { ResendVerificationCommand } from '../commands/resend-verification/resend-verification.command';
import { ResetPasswordCommand } from '../commands/reset-password/reset-password.command';
import { SetPushTokenCommand } from '../commands/set-push-token/set-push-token.command';
import { UpdateMeCommand } from '../commands/update-me/update-me.command';
import { UploadProfilePhotoCommand } from '../commands/upload-profile-photo/upload-profile-photo.command';
import { VerifyEmailCommand } from '../commands/verify-email/verify-email.command';
import { type TokenClaims } from '../domain/token.service';
import { type UserEntity } from '../persistence/user.entity';
import { ExportMyDataQuery } from '../queries/export-my-data/export-my-data.query';
import { GetMeQuery } from '../queries/get-me/get-me.query';
import {
  ChangePasswordRequest,
  EmailRequest,
  LoginRequest,
  LogoutRequest,
  PushTokenRequest,
  RefreshRequest,
  RegisterRequest,
  ResetPasswordRequest,
  UpdateMeRequest,
  VerifyEmailRequest,
} from './auth.requests';

/** The 15 auth endpoints of identity §2.1 with the HEAD changes of §10. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('register')
  @RateLimit('auth')
  @Header('Cache-Control', 'no-store')
  async register(@Body() body: RegisterRequest) {
    await this.commands.execute(new RegisterUserCommand(body));
    return { message: 'Verification email sent. Check your inbox.' };
  }

  @Post('verify-email')
  @RateLimit('auth')
  @HttpCode(200)
  verifyEmail(@Body() body: VerifyEmailRequest) {
    return this.commands.execute(new VerifyEmailCommand(body));
  }

  @Post('resend-verification')
  @RateLimit('resend_verification')
  @HttpCode(200)
  async resendVerification(@Body() body: EmailRequest) {
    await this.commands.execute(new ResendVerificationCommand(body.email));
    return { status: 'sent' };
  }

  @Post('login')
  @RateLimit('auth')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  login(@Body() body: LoginRequest) {
    return this.commands.execute(new LoginCommand(body.email, body.password));
  }

  @Post('refresh')
  @RateLimit('auth')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  refresh(@Body() body: RefreshRequest) {
    return this.commands.execute(new RefreshTokensCommand(body.refresh_token));
  }

  @Get('me')
  @Authenticated()
  @RateLimit('auth')
  me(@CurrentUser() user: UserEntity) {
    return this.queries.execute(new GetMeQuery(user));
  }

  @Patch('me')
  @Authenticated()
  @RateLimit('auth')
  updateMe(
    @CurrentUser() user: UserEntity,
    @CurrentToken() token: TokenClaims,
    @Body() body: UpdateMeRequest,
  ) {
    return this.commands.execute(new UpdateMeCommand(user.id, token, body));
  }

  @Post('push-token')
  @Authenticated()
  @RateLimit('auth')
  @HttpCode(200)
  async setPushToken(@CurrentUser() user: UserEntity, @Body() body: PushTokenRequest) {
    await this.commands.execute(new SetPushTokenCommand(user.id, body.token));
    return { status: 'ok' };
  }

  @Delete('push-token')
  @Authenticated()
  @RateLimit('auth')
  async clearPushToken(@CurrentUser() user: UserEntity) {
    await this.commands.execute(new SetPushTokenCommand(user.id, null));
    return { status: 'ok' };
  }

  /** The bearer token is decoded here, without loading the user (identity §2.1-10). */
  @Post('logout')
  @RateLimit('logout')
  @HttpCode(200)
  logout(@Req() request: Request, @Body() body: LogoutRequest) {
    return this.commands.execute(new LogoutCommand(bearerToken(request), body.refresh_token));
  }

  @Post('forgot-password')
  @RateLimit('forgot_password')
  @HttpCode(200)
  async forgotPassword(@Body() body: EmailRequest) {
    await this.commands.execute(new RequestPasswordResetCommand(body.email));
    return { message: 'If an account exists with this email, a password reset link has been sent' };
  }

  @Post('reset-password')
  @RateLimit('auth')
  @HttpCode(200)
  async resetPassword(@Body() body: ResetPasswordRequest) {
    await this.commands.execute(new ResetPasswordCommand(body.token, body.new_password));
    return { message: 'Password reset successfully' };
  }

  @Post('change-password')
  @Authenticated()
  @RateLimit('auth')
  @HttpCode(200)
  async changePassword(
    @CurrentUser() user: UserEntity,
    @CurrentToken() token: TokenClaims,
    @Body() body: ChangePasswordRequest,
  ) {
    await this.commands.execute(new ChangePasswordCommand(user, token, body.old_password, body.new_password));
    return { message: 'Password changed successfully' };
  }

  @Delete('me')
  @Authenticated()
  @RateLimit('auth')
  async deleteMe(@CurrentUser() user: UserEntity, @CurrentToken() token: TokenClaims) {
    await this.commands.execute(new DeleteAccountCommand(user.id, token));
    return { message: 'Your account has been deleted' };
  }

  @Post('me/photo')
  @Authenticated()
  @RateLimit('auth')
  @HttpCode(200)
  @SingleFileUpload('photo')
  uploadPhoto(@CurrentUser() user: UserEntity, @UploadedFile() file: StoredFileInput | undefined) {
    return this.commands.execute(new UploadProfilePhotoCommand(user, requiredFile(file, 'photo')));
  }

  @Get('me/export')
  @Authenticated()
  @RateLimit('export')
  export(@CurrentUser() user: UserEntity) {
    return this.queries.execute(new ExportMyDataQuery(user.id));
  }
}
