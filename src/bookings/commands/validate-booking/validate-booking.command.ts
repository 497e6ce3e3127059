import { Command } from '@nestjs/cqrs';
import { type UploadedFile } from '../../../storage/upload-policy';
import { type DisputeReason } from '../../domain/booking-status';

/** §3.8/§3.9 responses: the release scheduled, or the dispute opened (with the photos' fate). */
export type ValidationResult =
  | { status: 'validated'; payment_release: string }
  | { status: 'disputed'; dispute_opened: true; photo_count?: number; upload_warnings?: string[] };

/** The buyer's answer: the inspection is accepted, or disputed with a reason and a description. */
export type Verdict = { validated: true } | { validated: false; reason: DisputeReason; description: string };

/** PATCH /bookings/{id}/validate (§3.8, T12/T13): the request schema already checked the verdict. */
export class ValidateBookingCommand extends Command<ValidationResult> {
  constructor(
    readonly bookingId: string,
    readonly buyerId: string,
    readonly verdict: Verdict,
  ) {
    super();
  }
}

/** PATCH /bookings/{id}/validate-with-photos (§3.9): the raw form, checked by the handler in the spec's order. */
export interface DisputeForm {
  validated: boolean;
  problemReason: string | undefined;
  problemDescription: string | undefined;
  photos: readonly (UploadedFile & { originalname?: string })[];
}

export class ValidateWithPhotosCommand extends Command<ValidationResult> {
  constructor(
    readonly bookingId: string,
    readonly buyerId: string,
    readonly form: DisputeForm,
  ) {
    super();
  }
}
