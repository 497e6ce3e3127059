import { setPriority } from 'node:os';
import { type InspectionReportInput, renderInspectionReport } from './inspection-report.pdf';
import { type ReceiptInput, renderReceipt } from './receipt.pdf';

export type PdfTask =
  { kind: 'inspection_report'; input: InspectionReportInput } | { kind: 'receipt'; input: ReceiptInput };

/**
 * Renders are background work: when a render and the request loop both want a core, the loop goes
 * first. On Linux a thread has its own nice value and 0 names the calling thread, so this lowers
 * this worker only (elsewhere it would renice the whole process, hence the platform check).
 */
const RENDER_NICENESS = 10;
if (process.platform === 'linux') setPriority(0, RENDER_NICENESS);

/** Piscina worker: renders one PDF off the API's event loop (H-024). */
export default function render(task: PdfTask): Promise<Buffer> {
  return task.kind === 'inspection_report' ? renderInspectionReport(task.input) : renderReceipt(task.input);
}
