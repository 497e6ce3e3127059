import { Global, Module } from '@nestjs/common';
import { DEFAULT_PDF_RENDERER_OPTIONS, PDF_RENDERER_OPTIONS, PdfRenderer } from './pdf/pdf-renderer';
import { DownloadReceiptHandler } from './receipts/commands/download-receipt/download-receipt.handler';
import { ReceiptsController } from './receipts/http/receipts.controller';
import { GetDownloadTokenHandler } from './receipts/queries/get-download-token/get-download-token.handler';
import { GetReceiptHandler } from './receipts/queries/get-receipt/get-receipt.handler';
import { ReceiptBookings } from './receipts/receipt-bookings';
import { ReceiptDownloadTokens } from './receipts/receipt-download-tokens';
import { ReceiptPdfs } from './receipts/receipt-pdfs';

/**
 * The documents of messaging-reports §4: the inspection report and the payment receipt, rendered
 * in worker threads. Global: check-out (bookings) and the receipt endpoints both render.
 */
@Global()
@Module({
  controllers: [ReceiptsController],
  providers: [
    { provide: PDF_RENDERER_OPTIONS, useValue: DEFAULT_PDF_RENDERER_OPTIONS },
    PdfRenderer,
    ReceiptBookings,
    ReceiptPdfs,
    ReceiptDownloadTokens,
    GetReceiptHandler,
    GetDownloadTokenHandler,
    DownloadReceiptHandler,
  ],
  exports: [PdfRenderer],
})
export class ReportsModule {}
