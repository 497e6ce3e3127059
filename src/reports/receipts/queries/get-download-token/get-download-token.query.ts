import { Query } from '@nestjs/cqrs';
import { type ReceiptReader } from '../../receipt-access';
import { type DownloadTokenResponse } from '../../receipt-download-tokens';

/** GET /reports/receipt/{booking_id}/token (messaging-reports §2.5). */
export class GetDownloadTokenQuery extends Query<DownloadTokenResponse> {
  constructor(
    readonly reader: ReceiptReader,
    readonly bookingId: string,
  ) {
    super();
  }
}
