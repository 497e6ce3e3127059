import { DomainError } from '../../common/errors/domain-error';

/** The business answers of messaging-reports §2.1, worded exactly as the original (one in French). */
export const MessagingErrors = {
  bookingNotFound: () => new DomainError('booking_not_found', 'Booking not found'),
  notParticipant: () =>
    new DomainError('not_conversation_participant', 'You are not a participant of this booking'),
  /** Audit H-003: admins read conversations for disputes but never write in them. */
  adminCannotSend: () =>
    new DomainError(
      'admin_cannot_message',
      'Admins cannot send messages. Use the admin panel for moderation.',
    ),
  unavailable: (status: string) =>
    new DomainError('messaging_unavailable', `Messaging is not available for bookings in '${status}' status`),
  invalidTemplate: () => new DomainError('invalid_template', 'Invalid template message'),
  templateQuotaReached: (limit: number) =>
    new DomainError('message_quota_reached', `Template message limit reached (${limit} per booking)`),
  customQuotaReached: (limit: number) =>
    new DomainError('message_quota_reached', `Limite de messages atteinte (${limit} par réservation)`),
};
