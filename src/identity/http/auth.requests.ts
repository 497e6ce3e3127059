import {
  Equals,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { PickType } from '@nestjs/swagger';
import { BodyMayBeOmitted } from '../../common/http/request-validation.pipe';
import { EmailField, NameField, NewPasswordField, PasswordField, PhoneField } from './field-rules';

export class RegisterRequest {
  @EmailField()
  email!: string;

  @NewPasswordField()
  password!: string;

  /** Admins are created only by the CLI: `admin` is refused like any unknown role. */
  @IsIn(['buyer', 'mechanic'])
  role!: 'buyer' | 'mechanic';

  @IsOptional()
  @NameField('Le prénom')
  first_name?: string | null;

  @IsOptional()
  @NameField('Le nom')
  last_name?: string | null;

  @IsOptional()
  @PhoneField()
  phone?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  referral_code?: string;

  @IsBoolean({ message: 'Vous devez accepter les CGU pour créer un compte' })
  @Equals(true, { message: 'Vous devez accepter les CGU pour créer un compte' })
  cgu_accepted!: boolean;
}

/** Either the link's token, or the 6-digit code with the address (HEAD); checked by the handler. */
export class VerifyEmailRequest {
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  token?: string;

  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'The code must be 6 digits' })
  code?: string;

  @IsOptional()
  @EmailField()
  email?: string;
}

export class EmailRequest {
  @EmailField()
  email!: string;
}

export class LoginRequest {
  @EmailField()
  email!: string;

  @PasswordField()
  password!: string;
}

export class RefreshRequest {
  @IsString()
  @MaxLength(2048)
  refresh_token!: string;
}

@BodyMayBeOmitted()
export class LogoutRequest {
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  refresh_token?: string | null;
}

export class ResetPasswordRequest {
  @IsString()
  @MaxLength(2048)
  token!: string;

  @NewPasswordField()
  new_password!: string;
}

export class ChangePasswordRequest {
  @PasswordField()
  old_password!: string;

  @NewPasswordField()
  new_password!: string;
}

/** Only the fields present are applied; `null` clears names and phone, never the e-mail (N7). */
export class UpdateMeRequest {
  @ValidateIf((_, value) => value !== undefined)
  @EmailField()
  email?: string;

  @IsOptional()
  @NameField('Le prénom')
  first_name?: string | null;

  @IsOptional()
  @NameField('Le nom')
  last_name?: string | null;

  @ValidateIf((_, value) => value !== undefined && value !== null)
  @PhoneField()
  phone?: string | null;
}

const PUSH_TOKEN_MESSAGE = 'Token must be a valid Expo push token (ExponentPushToken[...])';

export class PushTokenRequest {
  @IsString({ message: PUSH_TOKEN_MESSAGE })
  @MaxLength(100, { message: PUSH_TOKEN_MESSAGE })
  @Matches(/^Expo(nent)?PushToken\[[A-Za-z0-9_-]+\]$/, { message: PUSH_TOKEN_MESSAGE })
  token!: string;
}

/** `npm run cli -- admin:create`: the same rules as registration, validated before anything is written. */
export class CreateAdminRequest extends PickType(RegisterRequest, [
  'email',
  'password',
  'first_name',
  'last_name',
]) {}
