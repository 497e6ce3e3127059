import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { type DataSource } from 'typeorm';
import { type Clock } from './common/clock/clock';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config/config.module';
import { type AppConfig } from './config/load-config';
import { pinoHttpParams, type LoggingOptions } from './observability/logging/logger.options';
import { HealthModule } from './observability/health/health.module';
import { MetricsModule } from './observability/metrics/metrics.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { DeliveryModule } from './delivery/delivery.module';
import { AuditModule } from './audit/audit.module';
import { BookingsModule } from './bookings/bookings.module';
import { IdentityModule } from './identity/identity.module';
import { MailModule } from './mail/mail.module';
import { MechanicsModule } from './mechanics/mechanics.module';
import { MessagingModule } from './messaging/messaging.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ReportsModule } from './reports/reports.module';
import { PaymentsModule } from './payments/payments.module';
import { ReferralsModule } from './referrals/referrals.module';
import { ReviewsModule } from './reviews/reviews.module';
import { StorageModule } from './storage/storage.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Initialised and migrated by the caller (main, CLI or test harness). */
  dataSource: DataSource;
  logging?: LoggingOptions;
  clock?: Clock;
  /** Cron triggers; off for the CLI and tests, and wherever JOBS_ENABLED=false. */
  triggersEnabled?: boolean;
  /** Delivery-queue workers (e-mail, push); off for the CLI, which leaves delivery to the servers. */
  deliveryWorkers?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config, dataSource } = options;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(pinoHttpParams(config, options.logging)),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSource.options,
          dataSourceFactory: () => Promise.resolve(dataSource),
        }),
        CqrsModule.forRoot(),
        CommonModule.forRoot({ clock: options.clock }),
        MetricsModule,
        SchedulingModule.forRoot({
          triggersEnabled: (options.triggersEnabled ?? true) && config.JOBS_ENABLED,
        }),
        HealthModule,
        DeliveryModule.forRoot({
          workersEnabled: options.deliveryWorkers ?? true,
          pollingIntervalSeconds: 0.5,
        }),
        MailModule,
        StorageModule.forRoot(config),
        IdentityModule,
        AuditModule,
        MechanicsModule,
        NotificationsModule,
        ReportsModule,
        BookingsModule,
        PaymentsModule,
        MessagingModule,
        ReviewsModule,
        ReferralsModule,
      ],
    };
  }
}
