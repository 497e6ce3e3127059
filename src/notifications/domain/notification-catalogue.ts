import { type NotificationType } from './notification-types';

declare const catalogued: unique symbol;

/**
 * A notification ready to send. Only the builders below can make one (the brand cannot be spelled
 * outside this file), so an emitter cannot invent a type, a title or a data key.
 */
export interface Notification {
  readonly type: NotificationType;
  readonly title: string;
  readonly body: string;
  /** The emitter's keys; `type` is added when the row is written (messaging §3.2.1). */
  readonly data: Readonly<Record<string, string | null>>;
  readonly [catalogued]: true;
}

const define = (content: Omit<Notification, typeof catalogued>): Notification => content as Notification;

export type CancelledBy = 'buyer' | 'mechanic';
export type RefusalReason = 'not_available' | 'too_far' | 'wrong_vehicle' | 'other';

/**
 * The catalogue of messaging §5: one builder per event that notifies someone. Texts are stored
 * exactly as the original wrote them (bookings-payments §11.1; ASCII French unless the spec shows
 * accents).
 */
export const NOTIFICATIONS = {
  bookingCreated: (p: { bookingId: string; vehicleBrand: string; vehicleModel: string }) =>
    define({
      type: 'booking_created',
      title: 'Nouvelle demande de RDV',
      body: `Un acheteur souhaite reserver un controle pour ${p.vehicleBrand} ${p.vehicleModel}.`,
      data: { booking_id: p.bookingId },
    }),

  bookingConfirmed: (p: { bookingId: string }) =>
    define({
      type: 'booking_confirmed',
      title: 'RDV confirme !',
      body: 'Le mecanicien a accepte votre demande de rendez-vous.',
      data: { booking_id: p.bookingId },
    }),

  bookingRefused: (p: { bookingId: string; reason: RefusalReason; proposedTime: string | null }) =>
    define({
      type: 'booking_refused',
      title: 'RDV refuse',
      body: 'Le mecanicien a decline votre demande. Vous serez integralement rembourse.',
      data: { booking_id: p.bookingId, reason: p.reason, proposed_time: p.proposedTime },
    }),

  /** Sent to the party who did not cancel. */
  bookingCancelled: (p: { bookingId: string; cancelledBy: CancelledBy }) =>
    define({
      type: 'booking_cancelled',
      title: 'RDV annule',
      body: "Le rendez-vous a ete annule par l'autre partie.",
      data: { booking_id: p.bookingId, cancelled_by: p.cancelledBy },
    }),

  /** Later version: the admin suspended the mechanic, so each of their open bookings is cancelled. */
  bookingCancelledMechanicSuspended: (p: { bookingId: string }) =>
    define({
      type: 'booking_cancelled',
      title: 'Réservation annulée',
      body: 'Votre réservation a été annulée car le mécanicien a été suspendu. Vous serez remboursé.',
      data: { booking_id: p.bookingId },
    }),

  noShow: (p: { bookingId: string }) =>
    define({
      type: 'no_show',
      title: 'Absence signalee',
      body: "L'acheteur a signale votre absence au point de rendez-vous.",
      data: { booking_id: p.bookingId },
    }),

  checkOutDone: (p: { bookingId: string; pdfUrl: string }) =>
    define({
      type: 'check_out_done',
      title: 'Rapport pret !',
      body: "Le mecanicien a termine l'inspection. Consultez votre rapport.",
      data: { booking_id: p.bookingId, pdf_url: p.pdfUrl },
    }),

  bookingDisputed: (p: { bookingId: string }) =>
    define({
      type: 'booking_disputed',
      title: 'Litige ouvert',
      body: "L'acheteur a conteste le resultat de l'inspection.",
      data: { booking_id: p.bookingId },
    }),

  newMessage: (p: { bookingId: string; messageId: string; senderName: string }) =>
    define({
      type: 'new_message',
      title: 'Nouveau message',
      body: `${p.senderName} vous a envoye un message.`,
      data: { booking_id: p.bookingId, message_id: p.messageId },
    }),

  profileVerification: () =>
    define({
      type: 'profile_verification',
      title: 'Verifiez votre profil',
      body: "Ajoutez une piece d'identite pour gagner la confiance des acheteurs et plus de visibilite.",
      data: { action: 'verify_identity' },
    }),

  /**
   * §9.3 [REC]: both parties learn the admin's verdict. The spec gives no text; the type is the
   * dispute's, so the app opens the booking as it does for `booking_disputed`.
   */
  disputeResolved: (p: { bookingId: string; resolution: 'buyer' | 'mechanic' }) =>
    define({
      type: 'booking_disputed',
      title: 'Litige resolu',
      body:
        p.resolution === 'buyer'
          ? "Le litige a ete tranche en faveur de l'acheteur, qui est integralement rembourse."
          : 'Le litige a ete tranche en faveur du mecanicien, qui recoit le paiement.',
      data: { booking_id: p.bookingId, resolution: p.resolution },
    }),
};
