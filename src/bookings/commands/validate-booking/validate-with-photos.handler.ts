import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../../config/config.module';
import { type AppConfig } from '../../../config/load-config';
import { inTransaction } from '../../../database/transactions';
import { FileUploads } from '../../../storage/file-uploads';
import { refusalError } from '../../domain/booking-refusals';
import { lockBooking } from '../../persistence/booking.locks';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { verdictEvent, verdictResponse } from './booking-verdict';
import { checkDisputePhotos, disputeVerdict } from './dispute-form';
import {
  type DisputeForm,
  type ValidationResult,
  ValidateWithPhotosCommand,
  type Verdict,
} from './validate-booking.command';

/**
 * §3.9: validate, or dispute with up to 5 photos. The photos are stored between two short
 * transactions, so no upload holds the booking's lock: the first checks, in the spec's order, the
 * guards under the lock (404, 403, 409 state), the form (400), an existing dispute (409) and the
 * photos (400); the second applies the transition, the machine deciding again on the current row.
 * A photo that fails its own check or upload is reported in `upload_warnings` and the dispute is
 * opened without it.
 */
@CommandHandler(ValidateWithPhotosCommand)
export class ValidateWithPhotosHandler implements ICommandHandler<ValidateWithPhotosCommand> {
  private readonly logger = new Logger('Disputes');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transitions: BookingTransitionRunner,
    private readonly uploads: FileUploads,
  ) {}

  async execute({ bookingId, buyerId, form }: ValidateWithPhotosCommand): Promise<ValidationResult> {
    // Accepting stores nothing: the photos only go with a dispute.
    const verdict: Verdict = form.validated
      ? { validated: true }
      : await this.checkedDispute(bookingId, buyerId, form);
    const { urls, warnings } = verdict.validated
      ? { urls: [], warnings: [] }
      : await this.storePhotos(bookingId, form.photos);
    const applied = await inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      const event = verdictEvent(buyerId, verdict, urls.length > 0 ? urls : null);
      const result = await this.transitions.apply(manager, booking, event);
      if (!result.ok) throw refusalError(result);
      return result;
    });
    this.transitions.count(applied);
    const response = verdictResponse(applied, this.config.PAYMENT_RELEASE_DELAY_HOURS);
    if (response.status === 'validated') return response;
    return {
      ...response,
      photo_count: urls.length,
      ...(warnings.length > 0 && { upload_warnings: warnings }),
    };
  }

  private checkedDispute(bookingId: string, buyerId: string, form: DisputeForm): Promise<Verdict> {
    return inTransaction(this.dataSource, async (manager) => {
      const booking = await lockBooking(manager, bookingId);
      // Any reason passes the guards: the reason is the form's check, made after them (§3.9).
      const probe = { validated: false, reason: 'other', description: '' } as const;
      const refused = await this.transitions.refusalFor(manager, booking, verdictEvent(buyerId, probe));
      if (refused && refused.code !== 'dispute_exists') throw refusalError(refused);
      const verdict = disputeVerdict(form);
      if (refused) throw refusalError(refused);
      checkDisputePhotos(form.photos);
      return verdict;
    });
  }

  /** Each photo on its own (§3.9): a bad or failed one is named in the warnings, the rest are kept. */
  private async storePhotos(bookingId: string, photos: DisputeForm['photos']) {
    const urls: string[] = [];
    const warnings: string[] = [];
    const stored = await Promise.all(
      photos.map((photo) =>
        this.uploads.store('disputes', photo).then(
          (url) => ({ url }),
          (error: unknown) => {
            this.logger.warn({
              event: 'dispute_photo_rejected',
              booking_id: bookingId,
              error: String(error),
            });
            return { failed: photo.originalname || 'unknown' };
          },
        ),
      ),
    );
    for (const outcome of stored) {
      if ('url' in outcome) urls.push(outcome.url);
      else warnings.push(`Failed to upload: ${outcome.failed}`);
    }
    return { urls, warnings };
  }
}
