import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { assertMayReadReceipt } from '../../receipt-access';
import { ReceiptBookings } from '../../receipt-bookings';
import { type ReceiptFile, ReceiptPdfs } from '../../receipt-pdfs';
import { GetReceiptQuery } from './get-receipt.query';

/** 404 for an unknown booking, then 403 unless buyer or admin; any status gets a receipt (§2.5). */
@QueryHandler(GetReceiptQuery)
export class GetReceiptHandler implements IQueryHandler<GetReceiptQuery> {
  constructor(
    private readonly bookings: ReceiptBookings,
    private readonly pdfs: ReceiptPdfs,
  ) {}

  async execute({ reader, bookingId }: GetReceiptQuery): Promise<ReceiptFile> {
    const booking = await this.bookings.get(bookingId);
    assertMayReadReceipt(reader, booking.buyerId);
    return this.pdfs.render(booking);
  }
}
