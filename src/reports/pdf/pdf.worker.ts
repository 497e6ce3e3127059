import { type InspectionReportInput, renderInspectionReport } from './inspection-report.pdf';
import { type ReceiptInput, renderReceipt } from './receipt.pdf';

export type PdfTask =
  { kind: 'inspection_report'; input: InspectionReportInput } | { kind: 'receipt'; input: ReceiptInput };

/** Piscina worker: renders one PDF off the API's event loop (H-024). */
export default function render(task: PdfTask): Promise<Buffer> {
  return task.kind === 'inspection_report' ? renderInspectionReport(task.input) : renderReceipt(task.input);
}
