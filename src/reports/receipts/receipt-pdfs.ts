import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/load-config';
import { PdfRenderer } from '../pdf/pdf-renderer';
import { receiptNumber } from '../pdf/receipt.pdf';
import { type ReceiptBooking } from './receipt-bookings';
import { receiptPrices } from './receipt-prices';

export interface ReceiptFile {
  /** `receipt-EM-<first 8 hex of the id, upper-cased>.pdf` (§2.5). */
  filename: string;
  pdf: Buffer;
}

/** Renders a booking's receipt (§4.6) in the PDF worker pool; never stored, so always current (§3.5). */
@Injectable()
export class ReceiptPdfs {
  constructor(
    private readonly renderer: PdfRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async render(booking: ReceiptBooking): Promise<ReceiptFile> {
    const pdf = await this.renderer.receipt({
      bookingId: booking.id,
      status: booking.status,
      // The day the inspection took place when it did; created_at is NOT NULL, so no "now" fallback.
      serviceDate: booking.checkInAt ?? booking.createdAt,
      mechanicCity: booking.mechanicCity,
      vehicle: booking.vehicle,
      prices: receiptPrices(booking, this.config.OBD_SUPPLEMENT),
    });
    return { filename: `receipt-${receiptNumber(booking.id)}.pdf`, pdf };
  }
}
