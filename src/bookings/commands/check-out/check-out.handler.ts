import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { DomainError } from '../../../common/errors/domain-error';
import { inTransaction } from '../../../database/transactions';
import { type InspectionReportInput } from '../../../reports/pdf/inspection-report.pdf';
import { PdfRenderer } from '../../../reports/pdf/pdf-renderer';
import { type BookingActor } from '../../domain/booking-events';
import { refusalError } from '../../domain/booking-refusals';
import { type InspectionRecords, mechanicDisplayName } from '../../domain/inspection';
import { BookingEntity } from '../../persistence/booking.entity';
import { lockBooking } from '../../persistence/booking.locks';
import { BookingTransitionRunner } from '../transitions/booking-transition.runner';
import { CheckOutCommand, type CheckOutPhotos, type CheckOutResult } from './check-out.command';
import { AdmissionGate } from './admission-gate';
import { type CheckOutForm, checkOutForm } from './check-out-form';
import { InspectionReportFiles } from './inspection-report-files';

/**
 * T11 (§3.7): the mechanic hands in the proof, the checklist and the report. The slow part (the
 * uploads and the PDF, up to 30 s) runs before the booking's row lock is taken, so no other request
 * on the booking waits behind a render; the guards run twice: first without the lock (404, 403,
 * 409 before any work), then under it, where the transition records the rows with the status.
 *
 * Issue 8: at most as many check-outs run at once as the renderer has threads; the others wait their
 * turn before any work. A burst beyond that would only queue at the render pool, after its queries and
 * file writes had crowded the event loop and the cores all at once (measured: README, "Report").
 */
@CommandHandler(CheckOutCommand)
export class CheckOutHandler implements ICommandHandler<CheckOutCommand> {
  private readonly logger = new Logger('CheckOut');
  private readonly admission: AdmissionGate;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly transitions: BookingTransitionRunner,
    private readonly files: InspectionReportFiles,
    renderer: PdfRenderer,
  ) {
    this.admission = new AdmissionGate(renderer.threads);
  }

  execute(command: CheckOutCommand): Promise<CheckOutResult> {
    return this.admission.run(() => this.checkOut(command));
  }

  private async checkOut(command: CheckOutCommand): Promise<CheckOutResult> {
    const { bookingId, photos } = command;
    const actor: BookingActor = {
      role: 'mechanic',
      userId: command.userId,
      profileId: command.mechanicProfileId,
    };
    const booking = await this.admitted(bookingId, actor);
    const form = checkOutForm(command.fields, booking.vehiclePlate, {
      additional: photos.additional.length,
      all: [photos.plate, photos.odometer, ...photos.additional].map((photo) => photo.mimetype),
    });
    const stored = await this.files.storeProofs(photos);
    const storedUrls = [stored.plate, stored.odometer, ...stored.additional];
    try {
      const mechanicName = await mechanicNameOf(this.dataSource.manager, booking.mechanicId);
      const pdfUrl = await this.files.storeReport(
        reportInput(booking, form, photos, mechanicName, this.clock.now()),
      );
      storedUrls.push(pdfUrl);
      const applied = await this.record(bookingId, actor, {
        proof: {
          photoPlateUrl: stored.plate,
          photoOdometerUrl: stored.odometer,
          enteredPlate: form.plate,
          enteredOdometerKm: form.odometerKm,
          gps: form.gps,
          additionalPhotoUrls: stored.additional,
        },
        checklist: form.checklist,
        pdfUrl,
      });
      this.transitions.count(applied);
      return { pdf_url: pdfUrl };
    } catch (error) {
      // §3.7-3: files no row will reference; the weekly orphaned-file sweep deletes them (§7.11).
      this.logger.warn({ event: 'check_out_files_orphaned', booking_id: bookingId, urls: storedUrls });
      throw error;
    }
  }

  /**
   * Under the row lock, the transition records the rows. Should the booking have changed since
   * `admitted` (a cancellation meanwhile), `apply` refuses with the answer a later request would get.
   */
  private record(bookingId: string, actor: BookingActor, inspection: InspectionRecords) {
    return inTransaction(this.dataSource, async (manager) => {
      const locked = await lockBooking(manager, bookingId);
      const result = await this.transitions.apply(manager, locked, { type: 'check_out', actor, inspection });
      if (!result.ok) throw refusalError(result);
      return result;
    });
  }

  /** §3.7-1 before any work: 404, then the machine's 403 and 409, on the row as it is now. */
  private async admitted(bookingId: string, actor: BookingActor): Promise<BookingEntity> {
    const manager = this.dataSource.manager;
    const booking = await manager.findOneBy(BookingEntity, { id: bookingId });
    if (!booking) throw new DomainError('booking_not_found', 'Booking not found');
    const refused = await this.transitions.refusalFor(manager, booking, { type: 'check_out', actor });
    if (refused) throw refusalError(refused);
    return booking;
  }
}

/** messaging-reports §4.2; the photos are the bytes received, so the renderer never fetches a URL. */
function reportInput(
  booking: BookingEntity,
  form: CheckOutForm,
  photos: CheckOutPhotos,
  mechanicName: string,
  at: Date,
): InspectionReportInput {
  return {
    bookingId: booking.id,
    vehicle: { brand: booking.vehicleBrand, model: booking.vehicleModel, year: booking.vehicleYear },
    plate: form.plate,
    odometerKm: form.odometerKm,
    meetingAddress: booking.meetingAddress,
    platePhoto: photos.plate.buffer,
    odometerPhoto: photos.odometer.buffer,
    defectPhotos: photos.additional.map((photo) => photo.buffer),
    checklist: form.checklist,
    mechanicName,
    inspectionDate: at,
  };
}

async function mechanicNameOf(manager: EntityManager, mechanicProfileId: string): Promise<string> {
  const [user]: { first_name: string | null; last_name: string | null; email: string }[] =
    await manager.query(
      `SELECT u.first_name, u.last_name, u.email
         FROM mechanic_profiles m JOIN users u ON u.id = m.user_id WHERE m.id = $1`,
      [mechanicProfileId],
    );
  return mechanicDisplayName({ firstName: user.first_name, lastName: user.last_name, email: user.email });
}
