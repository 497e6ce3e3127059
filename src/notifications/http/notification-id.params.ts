import { IsUUID } from 'class-validator';

export class NotificationIdParams {
  @IsUUID()
  notification_id!: string;
}
