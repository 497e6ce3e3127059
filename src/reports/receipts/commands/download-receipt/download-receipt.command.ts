import { Command } from '@nestjs/cqrs';
import { type ReceiptFile } from '../../receipt-pdfs';

/** GET /reports/receipt/{booking_id}/download?token= (messaging-reports §2.5): the token is the credential. */
export class DownloadReceiptCommand extends Command<ReceiptFile> {
  constructor(
    readonly token: string,
    readonly bookingId: string,
  ) {
    super();
  }
}
