import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { MailOutbox } from '../../mail/mail.module';
import { verificationEmail } from '../../mail/templates';
import { TokenService } from './token.service';
import { hashVerificationCode, newVerificationCode, VERIFICATION_CODE_TTL_MS } from './verification-code';

/**
 * Issues a fresh verification code (stored as its HMAC, attempts reset) and queues the e-mail with
 * the code and the 24 h link, inside the caller's transaction: registration, resend, e-mail change.
 */
@Injectable()
export class VerificationMailer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tokens: TokenService,
    private readonly mail: MailOutbox,
  ) {}

  async send(manager: EntityManager, user: { id: string; email: string }): Promise<void> {
    const code = newVerificationCode();
    await manager.query(
      `UPDATE users SET verification_code = $2, verification_code_expires_at = $3, verification_code_attempts = 0
        WHERE id = $1`,
      [
        user.id,
        hashVerificationCode(this.config.JWT_SECRET, code),
        new Date(this.clock.now().getTime() + VERIFICATION_CODE_TTL_MS),
      ],
    );
    const link = `${this.config.FRONTEND_URL}/verify?token=${encodeURIComponent(this.tokens.issue('email_verify', user.email).token)}`;
    await this.mail.enqueue(manager, verificationEmail(user.email, code, link));
  }
}
