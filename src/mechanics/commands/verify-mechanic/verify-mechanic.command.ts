import { Command } from '@nestjs/cqrs';

export interface VerificationResult {
  mechanic_id: string;
  is_identity_verified: boolean;
}

export class VerifyMechanicCommand extends Command<VerificationResult> {
  constructor(
    readonly adminUserId: string,
    readonly mechanicId: string,
    readonly approved: boolean,
  ) {
    super();
  }
}
