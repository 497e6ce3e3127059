import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLog } from './audit-log';
import { AuditLogEntity } from './audit-log.entity';
import { AuditPersonalData } from './audit-personal-data';
import { CleanupOldAuditLogsJob } from './jobs/cleanup-old-audit-logs.job';

/** The admin audit trail (identity §1.6), written by mechanics verification, suspensions and disputes. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity])],
  providers: [AuditLog, AuditPersonalData, CleanupOldAuditLogsJob],
  exports: [AuditLog],
})
export class AuditModule {}
