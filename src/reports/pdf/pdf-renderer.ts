import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Piscina } from 'piscina';
import { type InspectionReportInput } from './inspection-report.pdf';
import { type PdfTask } from './pdf.worker';
import { type ReceiptInput } from './receipt.pdf';

export const PDF_RENDERER_OPTIONS = Symbol('PDF_RENDERER_OPTIONS');

export interface PdfRendererOptions {
  /** H-024: a render still running after this is abandoned and its worker thread terminated. */
  timeoutMs: number;
  maxThreads: number;
  /** The worker module; the production one unless a test swaps in a fixture. */
  workerFile: string;
}

const FROM_SOURCES = extname(__filename) === '.ts';

export const DEFAULT_PDF_RENDERER_OPTIONS: PdfRendererOptions = {
  timeoutMs: 30_000,
  // Every core but one: the request loop keeps a core of its own while reports render (issue 8's
  // event-loop target); more threads than cores would only queue inside the OS.
  maxThreads: Math.max(1, availableParallelism() - 1),
  workerFile: join(__dirname, `pdf.worker${extname(__filename)}`),
};

export class PdfRenderingFailed extends Error {
  constructor(cause: unknown) {
    super('PDF rendering failed', { cause });
    this.name = 'PdfRenderingFailed';
  }
}

/**
 * Renders the inspection report and the receipt in a pool of worker threads (piscina), so a PDF
 * never blocks the request loop, and bounds each render: on timeout the task is aborted, which
 * terminates its worker (H-024: the original's timeout only stopped waiting).
 */
@Injectable()
export class PdfRenderer implements OnApplicationShutdown {
  private readonly logger = new Logger('PdfRenderer');
  private readonly pool: Piscina;

  constructor(@Inject(PDF_RENDERER_OPTIONS) private readonly options: PdfRendererOptions) {
    this.pool = new Piscina({
      filename: options.workerFile,
      maxThreads: options.maxThreads,
      minThreads: 0,
      idleTimeout: 60_000,
      // From the TypeScript sources (the tests), workers load `.ts` with the project's transpiler hook.
      execArgv: FROM_SOURCES ? ['--require', join(__dirname, '../../../scripts/register-typescript.js')] : [],
    });
  }

  /** How many renders can run at once. */
  get threads(): number {
    return this.options.maxThreads;
  }

  inspectionReport(input: InspectionReportInput): Promise<Buffer> {
    return this.render({ kind: 'inspection_report', input });
  }

  receipt(input: ReceiptInput): Promise<Buffer> {
    return this.render({ kind: 'receipt', input });
  }

  private async render(task: PdfTask): Promise<Buffer> {
    const started = Date.now();
    try {
      const bytes: Uint8Array = await this.pool.run(task, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      this.logger.error({
        event: 'pdf_render_failed',
        kind: task.kind,
        ms: Date.now() - started,
        err: error,
      });
      throw new PdfRenderingFailed(error);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
  }
}
