import { IsString, Length } from 'class-validator';

/** `/referrals/validate/{code}`: 1..30 characters, else 422 (messaging-reports §2.4). */
export class ReferralCodeParam {
  @IsString()
  @Length(1, 30)
  code!: string;
}
