import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { receiptForbidden } from '../../receipt-access';
import { ReceiptBookings } from '../../receipt-bookings';
import { ReceiptDownloadTokens } from '../../receipt-download-tokens';
import { type ReceiptFile, ReceiptPdfs } from '../../receipt-pdfs';
import { DownloadReceiptCommand } from './download-receipt.command';

/**
 * The checks of §2.5 in the spec's order. The token is consumed only once the PDF exists, so a
 * failed render does not burn it; of two concurrent downloads, the one that records the jti second
 * gets the 401 (I-13).
 */
@CommandHandler(DownloadReceiptCommand)
export class DownloadReceiptHandler implements ICommandHandler<DownloadReceiptCommand> {
  constructor(
    private readonly downloadTokens: ReceiptDownloadTokens,
    private readonly bookings: ReceiptBookings,
    private readonly pdfs: ReceiptPdfs,
  ) {}

  async execute({ token, bookingId }: DownloadReceiptCommand): Promise<ReceiptFile> {
    const grant = await this.downloadTokens.verify(token, bookingId);
    const booking = await this.bookings.get(bookingId);
    if (grant.buyerId !== booking.buyerId) throw receiptForbidden();
    const file = await this.pdfs.render(booking);
    await this.downloadTokens.consume(grant);
    return file;
  }
}
