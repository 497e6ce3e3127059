import { Global, Module } from '@nestjs/common';
import { DEFAULT_PDF_RENDERER_OPTIONS, PDF_RENDERER_OPTIONS, PdfRenderer } from './pdf/pdf-renderer';

/**
 * The documents of messaging-reports §4: the inspection report and the payment receipt, rendered
 * in worker threads. Global: check-out (bookings) and the receipt endpoints both render.
 */
@Global()
@Module({
  providers: [{ provide: PDF_RENDERER_OPTIONS, useValue: DEFAULT_PDF_RENDERER_OPTIONS }, PdfRenderer],
  exports: [PdfRenderer],
})
export class ReportsModule {}
