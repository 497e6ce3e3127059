import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { RoleGuard } from './auth/role.guard';
import { ChangePasswordHandler } from './commands/change-password/change-password.handler';
import { CreateAdminHandler } from './commands/create-admin/create-admin.handler';
import { DeleteAccountHandler } from './commands/delete-account/delete-account.handler';
import { LoginHandler } from './commands/login/login.handler';
import { LogoutHandler } from './commands/logout/logout.handler';
import { RefreshTokensHandler } from './commands/refresh-tokens/refresh-tokens.handler';
import { RegisterUserHandler } from './commands/register-user/register-user.handler';
import { RequestPasswordResetHandler } from './commands/request-password-reset/request-password-reset.handler';
import { ResendVerificationHandler } from './commands/resend-verification/resend-verification.handler';
import { ResetPasswordHandler } from './commands/reset-password/reset-password.handler';
import { SetPushTokenHandler } from './commands/set-push-token/set-push-token.handler';
import { UpdateMeHandler } from './commands/update-me/update-me.handler';
import { UploadProfilePhotoHandler } from './commands/upload-profile-photo/upload-profile-photo.handler';
import { VerifyEmailHandler } from './commands/verify-email/verify-email.handler';
import { CleanupBlacklistedTokensJob } from './jobs/cleanup-blacklisted-tokens.job';
import { UserFileReferences } from './persistence/user-file-references';
import { LoginLockout } from './domain/login-lockout';
import { PasswordHasher } from './domain/password-hasher';
import { PersonalDataOwners } from './domain/personal-data-owners';
import { TokenService } from './domain/token.service';
import { VerificationMailer } from './domain/verification-mailer';
import { AuthController } from './http/auth.controller';
import { BlacklistedTokenEntity } from './persistence/blacklisted-token.entity';
import { TokenBlacklist } from './persistence/token-blacklist';
import { UserEntity } from './persistence/user.entity';
import { ExportMyDataHandler } from './queries/export-my-data/export-my-data.handler';
import { GetMeHandler } from './queries/get-me/get-me.handler';

/**
 * Users, sessions and accounts. Global because every module guards its routes with the exported
 * guards (`@Authenticated()`, `@RequireRole()`), which need the token service and the users table.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, BlacklistedTokenEntity]), DiscoveryModule],
  controllers: [AuthController],
  providers: [
    TokenService,
    TokenBlacklist,
    PasswordHasher,
    LoginLockout,
    VerificationMailer,
    PersonalDataOwners,
    JwtAuthGuard,
    RoleGuard,
    RegisterUserHandler,
    VerifyEmailHandler,
    ResendVerificationHandler,
    LoginHandler,
    RefreshTokensHandler,
    UpdateMeHandler,
    SetPushTokenHandler,
    LogoutHandler,
    RequestPasswordResetHandler,
    ResetPasswordHandler,
    ChangePasswordHandler,
    DeleteAccountHandler,
    CreateAdminHandler,
    UploadProfilePhotoHandler,
    ExportMyDataHandler,
    GetMeHandler,
    CleanupBlacklistedTokensJob,
    UserFileReferences,
  ],
  exports: [TypeOrmModule, TokenService, TokenBlacklist, PasswordHasher, JwtAuthGuard, RoleGuard],
})
export class IdentityModule {}
