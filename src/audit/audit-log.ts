import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { AuditLogEntity } from './audit-log.entity';

/** identity §1.6 actions; the payments area adds `resolve_dispute_<resolution>`. */
export type AuditAction =
  | 'verify_mechanic'
  | 'reject_mechanic'
  | 'suspend_user'
  | 'unsuspend_user'
  | 'deactivate_buyer'
  | 'reactivate_buyer'
  | 'resolve_dispute_buyer'
  | 'resolve_dispute_mechanic';

export interface AuditEntry {
  action: AuditAction;
  adminUserId: string;
  targetUserId: string | null;
  detail?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** Every admin state change writes one row, in the transaction of the change it records (§7.8). */
@Injectable()
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.save(
      manager.create(AuditLogEntity, {
        action: entry.action,
        adminUserId: entry.adminUserId,
        targetUserId: entry.targetUserId,
        detail: entry.detail ?? null,
        metadataJson: entry.metadata ?? null,
        createdAt: this.clock.now(),
      }),
    );
  }
}
