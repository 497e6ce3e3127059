import { DomainError } from '../../common/errors/domain-error';
import { type UserRole } from '../../identity/persistence/user.entity';

/** The booking as the review rules see it. */
export interface ReviewedBooking {
  status: string;
  buyerId: string;
  /** The user behind the booking's mechanic profile. */
  mechanicUserId: string;
}

export interface ReviewTarget {
  revieweeId: string;
  isPublic: boolean;
}

/**
 * messaging-reports §2.3 checks 2 and 4, in the spec's order (the status before the participant,
 * §9.12): the buyer reviews the mechanic's user in public, the booking's mechanic reviews the buyer
 * in private, and nobody else reviews at all (admins included). `bookings.mechanic_id` is NOT NULL,
 * so the original's "no mechanic assigned" 400 cannot happen here.
 */
export function reviewTarget(booking: ReviewedBooking, caller: { id: string; role: UserRole }): ReviewTarget {
  if (booking.status !== 'completed')
    throw new DomainError('booking_state_conflict', 'Can only review completed bookings');
  if (caller.role === 'buyer' && caller.id === booking.buyerId)
    return { revieweeId: booking.mechanicUserId, isPublic: true };
  if (caller.role === 'mechanic' && caller.id === booking.mechanicUserId)
    return { revieweeId: booking.buyerId, isPublic: false };
  throw new DomainError('not_your_booking', 'Not a participant of this booking');
}
