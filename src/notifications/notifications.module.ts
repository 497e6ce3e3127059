import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Expo } from 'expo-server-sdk';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/load-config';
import { MarkAllNotificationsReadHandler } from './commands/mark-all-notifications-read/mark-all-notifications-read.handler';
import { MarkNotificationReadHandler } from './commands/mark-notification-read/mark-notification-read.handler';
import { NotificationService } from './domain/notification.service';
import { NotificationsController } from './http/notifications.controller';
import { CleanupExpiredPushTokensJob } from './jobs/cleanup-expired-push-tokens.job';
import { CleanupOldNotificationsJob } from './jobs/cleanup-old-notifications.job';
import { NotificationsPersonalData } from './notifications.personal-data';
import { NotificationEntity } from './persistence/notification.entity';
import { createExpoClient } from './push/expo-client';
import { PushDelivery } from './push/push-delivery';
import { ListNotificationsHandler } from './queries/list-notifications/list-notifications.handler';

/**
 * In-app notifications and their Expo pushes. Global: bookings, messaging and the jobs all notify
 * through `NotificationService.notify` inside their own transactions.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([NotificationEntity])],
  controllers: [NotificationsController],
  providers: [
    NotificationService,
    PushDelivery,
    {
      provide: Expo,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createExpoClient(config.EXPO_PUSH_URL),
    },
    ListNotificationsHandler,
    MarkNotificationReadHandler,
    MarkAllNotificationsReadHandler,
    CleanupOldNotificationsJob,
    CleanupExpiredPushTokensJob,
    NotificationsPersonalData,
  ],
  exports: [NotificationService],
})
export class NotificationsModule {}
