import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '../../../audit/audit-log';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { MechanicProfileEntity } from '../../persistence/mechanic-profile.entity';
import { type VerificationResult, VerifyMechanicCommand } from './verify-mechanic.command';

/**
 * PATCH /admin/mechanics/{id}/verify (identity §2.3-33), with its audit row in the same transaction.
 * Approval activates the profile, except while a suspension runs: in the original an approval
 * silently lifted suspensions (N15).
 */
@CommandHandler(VerifyMechanicCommand)
export class VerifyMechanicHandler implements ICommandHandler<VerifyMechanicCommand> {
  private readonly logger = new Logger('Mechanics');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async execute({ adminUserId, mechanicId, approved }: VerifyMechanicCommand): Promise<VerificationResult> {
    await inTransaction(this.dataSource, async (manager) => {
      const profile = await manager.getRepository(MechanicProfileEntity).findOne({
        where: { id: mechanicId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!profile) throw new DomainError('mechanic_profile_not_found', 'Mechanic profile not found');
      const now = this.clock.now();
      const suspended = profile.suspendedUntil !== null && profile.suspendedUntil > now;
      profile.isIdentityVerified = approved;
      if (approved && !suspended) profile.isActive = true;
      await manager.save(profile);
      await this.audit.record(manager, {
        action: approved ? 'verify_mechanic' : 'reject_mechanic',
        adminUserId,
        targetUserId: profile.userId,
        detail: `Mechanic ${profile.id} ${approved ? 'approved' : 'rejected'}`,
      });
    });
    this.logger.log({
      event: 'mechanic_verification_changed',
      mechanic_id: mechanicId,
      admin_user_id: adminUserId,
      approved,
    });
    return { mechanic_id: mechanicId, is_identity_verified: approved };
  }
}
