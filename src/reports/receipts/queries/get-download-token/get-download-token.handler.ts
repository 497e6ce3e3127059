import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { assertMayReadReceipt } from '../../receipt-access';
import { ReceiptBookings } from '../../receipt-bookings';
import { type DownloadTokenResponse, ReceiptDownloadTokens } from '../../receipt-download-tokens';
import { GetDownloadTokenQuery } from './get-download-token.query';

/** The access rules of the receipt itself, then a 5-minute single-use token for the buyer. */
@QueryHandler(GetDownloadTokenQuery)
export class GetDownloadTokenHandler implements IQueryHandler<GetDownloadTokenQuery> {
  constructor(
    private readonly bookings: ReceiptBookings,
    private readonly downloadTokens: ReceiptDownloadTokens,
  ) {}

  async execute({ reader, bookingId }: GetDownloadTokenQuery): Promise<DownloadTokenResponse> {
    const booking = await this.bookings.get(bookingId);
    assertMayReadReceipt(reader, booking.buyerId);
    return this.downloadTokens.issue(booking);
  }
}
