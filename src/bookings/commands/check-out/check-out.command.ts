import { Command } from '@nestjs/cqrs';
import { type UploadedFile } from '../../../storage/upload-policy';
import { type CheckOutFields } from './check-out-form';

/** The photos of a check-out, as received (checked by the handler). */
export interface CheckOutPhotos {
  plate: UploadedFile;
  odometer: UploadedFile;
  additional: readonly UploadedFile[];
}

/** PATCH /bookings/{id}/check-out (§3.7): the stored report's URL, as `reports.pdf_url` records it. */
export interface CheckOutResult {
  pdf_url: string;
}

export class CheckOutCommand extends Command<CheckOutResult> {
  constructor(
    readonly bookingId: string,
    readonly userId: string,
    readonly mechanicProfileId: string,
    readonly fields: CheckOutFields,
    readonly photos: CheckOutPhotos,
  ) {
    super();
  }
}
