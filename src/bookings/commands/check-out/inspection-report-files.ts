import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error';
import { type InspectionReportInput } from '../../../reports/pdf/inspection-report.pdf';
import { PdfRenderer } from '../../../reports/pdf/pdf-renderer';
import { FileUploads } from '../../../storage/file-uploads';
import { Storage } from '../../../storage/storage';
import { type CheckOutPhotos } from './check-out.command';
import { CHECK_OUT_MESSAGES } from './check-out-form';

/** §0.9: the generated-file limit. */
export const MAX_REPORT_BYTES = 10 * 1024 * 1024;

export const REPORT_FAILED_MESSAGE = 'Failed to generate PDF report. Please try again or contact support.';

export interface StoredProofPhotos {
  plate: string;
  odometer: string;
  additional: string[];
}

/** The files of a check-out: the proof photos and the report PDF, stored before anything is recorded. */
@Injectable()
export class InspectionReportFiles {
  private readonly logger = new Logger('CheckOut');

  constructor(
    private readonly uploads: FileUploads,
    private readonly storage: Storage,
    private readonly renderer: PdfRenderer,
  ) {}

  /**
   * §3.7-3 into the private `proofs/` folder. Every photo is checked (type, 5 MB, magic bytes) before
   * any is stored, so a rejected one leaves no orphan; the contract answers it with "Invalid data".
   */
  async storeProofs(photos: CheckOutPhotos): Promise<StoredProofPhotos> {
    const files = [photos.plate, photos.odometer, ...photos.additional];
    try {
      const [plate, odometer, ...additional] = await this.uploads.storeAll(
        files.map((file) => ({ folder: 'proofs', file })),
      );
      return { plate, odometer, additional };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid_upload')
        throw new DomainError('invalid_check_out', CHECK_OUT_MESSAGES.invalidData);
      throw error;
    }
  }

  /**
   * §3.7-6 and H-024: rendered in the worker pool (30 s, then the worker is terminated), at most
   * 10 MB, stored under `reports/`. Any failure is the 500 the contract prescribes.
   */
  async storeReport(input: InspectionReportInput): Promise<string> {
    try {
      const pdf = await this.renderer.inspectionReport(input);
      if (pdf.length > MAX_REPORT_BYTES) throw new Error(`Report of ${pdf.length} bytes is over 10 MB`);
      return await this.storage.put(`reports/${randomUUID()}.pdf`, pdf, 'application/pdf');
    } catch (error) {
      this.logger.error({ event: 'report_generation_failed', booking_id: input.bookingId, err: error });
      throw new DomainError('report_generation_failed', REPORT_FAILED_MESSAGE);
    }
  }
}
