/**
 * Every value `notifications.type` may hold (messaging §1.2 with the later-version types of §5).
 * The database CHECK `ck_notification_type` is built from this list, so the two cannot drift (§9-9:
 * the original's migration forgot two of them). `reminder` is allowed but never emitted (§5).
 */
export const NOTIFICATION_TYPES = [
  'booking_created',
  'booking_confirmed',
  'booking_refused',
  'booking_cancelled',
  'check_out_done',
  'booking_disputed',
  'new_message',
  'reminder',
  'no_show',
  'profile_verification',
  'proposal_received',
  'proposal_accepted',
  'proposal_refused',
  'proposal_counter',
  'demand_nearby',
  'mechanic_interested',
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
