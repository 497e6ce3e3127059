/** bookings-payments §1.11 / §2.1: the nine states a booking row can be in. */
export const BOOKING_STATUSES = [
  'pending_acceptance',
  'confirmed',
  'awaiting_mechanic_code',
  'check_in_done',
  'check_out_done',
  'validated',
  'completed',
  'cancelled',
  'disputed',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const TERMINAL_STATUSES: readonly BookingStatus[] = ['completed', 'cancelled'];

/** identity §2.1-14 step 2: the states in which an account cannot be deleted. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = [
  'confirmed',
  'awaiting_mechanic_code',
  'check_in_done',
  'check_out_done',
  'validated',
];

export const VEHICLE_TYPES = ['car', 'motorcycle', 'utility'] as const;
export const REFUSAL_REASONS = ['not_available', 'too_far', 'wrong_vehicle', 'other'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
export const DISPUTE_REASONS = ['no_show', 'wrong_info', 'rude_behavior', 'other'] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];
export const CANCELLED_BY = ['buyer', 'mechanic'] as const;
export type CancelledBy = (typeof CANCELLED_BY)[number];

/** Who asks for a transition: a person (with the ids ownership is checked against) or the system. */
export const ACTOR_ROLES = ['buyer', 'mechanic', 'admin', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];
