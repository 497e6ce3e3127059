import { type ReferralCodeEntity } from '../persistence/referral-code.entity';

/** ReferralCodeResponse of messaging-reports §2.4. */
export interface ReferralCodeResponse {
  code: string;
  uses_count: number;
  created_at: string;
}

export function referralCodeResponse(row: ReferralCodeEntity): ReferralCodeResponse {
  return { code: row.code, uses_count: row.usesCount, created_at: row.createdAt.toISOString() };
}
