import { type NotificationEntity } from '../persistence/notification.entity';

/** NotificationResponse of messaging §2.2. */
export interface NotificationResponse {
  id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown> | null;
  is_read: boolean;
  created_at: string;
}

export function notificationResponse(row: NotificationEntity): NotificationResponse {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    body: row.body,
    data: row.data,
    is_read: row.isRead,
    created_at: row.createdAt.toISOString(),
  };
}
