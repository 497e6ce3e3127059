import { Query } from '@nestjs/cqrs';
import { type ReceiptReader } from '../../receipt-access';
import { type ReceiptFile } from '../../receipt-pdfs';

/** GET /reports/receipt/{booking_id} (messaging-reports §2.5): the PDF, shown inline. */
export class GetReceiptQuery extends Query<ReceiptFile> {
  constructor(
    readonly reader: ReceiptReader,
    readonly bookingId: string,
  ) {
    super();
  }
}
