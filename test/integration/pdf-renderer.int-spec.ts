import { join } from 'node:path';
import { type InspectionReportInput } from '../../src/reports/pdf/inspection-report.pdf';
import {
  DEFAULT_PDF_RENDERER_OPTIONS,
  PdfRenderer,
  PdfRenderingFailed,
} from '../../src/reports/pdf/pdf-renderer';
import { type ReceiptInput } from '../../src/reports/pdf/receipt.pdf';
import { solidPng } from '../support/images';
import { inkOnFirstPage, pdfPageCount, pdfText } from '../support/pdf';

const BOOKING_ID = '3f2a9c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5b';

const report = (overrides: Partial<InspectionReportInput> = {}): InspectionReportInput => ({
  bookingId: BOOKING_ID,
  vehicle: { brand: 'Peugeot', model: '308', year: 2019 },
  plate: 'AB-123-CD',
  odometerKm: 123456,
  meetingAddress: '12 rue de Metz, 31000 Toulouse',
  platePhoto: solidPng(64, 32, [200, 30, 30]),
  odometerPhoto: solidPng(64, 32, [30, 30, 200]),
  defectPhotos: [solidPng(40, 30, [20, 160, 20]), solidPng(40, 30, [120, 120, 20])],
  checklist: {
    brakes: 'ok',
    tires: 'warning',
    fluids: 'low',
    battery: 'dead',
    suspension: 'worn',
    body: 'good',
    exhaust: 'rust',
    lights: 'defect',
    test_drive_done: true,
    test_drive_behavior: 'suspect',
    remarks: 'Bruit au freinage <script>alert(1)</script>',
    recommendation: 'negotiate',
  },
  mechanicName: 'Jean Dupont',
  inspectionDate: new Date('2026-03-02T15:00:00.000Z'),
  ...overrides,
});

const receipt: ReceiptInput = {
  bookingId: BOOKING_ID,
  status: 'completed',
  serviceDate: new Date('2026-03-02T10:00:00.000Z'),
  mechanicCity: 'toulouse',
  vehicle: { brand: 'Renault', model: 'Clio', year: null },
  prices: { base: '40.00', obdSupplement: '25.00', travelFees: '0.00', total: '65.00' },
};

describe('PDF rendering in worker threads (messaging-reports §4, H-024)', () => {
  let renderer: PdfRenderer;

  beforeAll(() => {
    renderer = new PdfRenderer(DEFAULT_PDF_RENDERER_OPTIONS);
  });

  afterAll(async () => {
    await renderer.onApplicationShutdown();
  });

  it('renders the inspection report section by section, with photos, labels and the report id', async () => {
    const pdf = await renderer.inspectionReport(report());

    const text = await pdfText(pdf);
    for (const expected of [
      "Rapport d'inspection informel de vehicule",
      'IMPORTANT - LIMITATION DE RESPONSABILITE',
      'Date de validite : 02/03/2026 uniquement',
      'AB-123-CD',
      '123 456 km',
      "Plaque d'immatriculation",
      'Compteur kilometrique',
      'Photo 2',
      'Attention',
      'Bas',
      'HS',
      'Use',
      'Rouille',
      'Defaillant',
      'Effectue - Suspect',
      'Bruit au freinage <script>alert(1)</script>',
      'A negocier',
      'Inspecteur : Jean Dupont',
      'Genere via eMecano - ID Rapport #EM-3F2A9C4E',
    ]) {
      expect(text).toContain(expected);
    }
    expect(await inkOnFirstPage(pdf)).toBeGreaterThan(0.02);
  });

  it('leaves out the empty sections and names what is missing', async () => {
    const pdf = await renderer.inspectionReport(
      report({
        plate: '',
        platePhoto: null,
        odometerPhoto: null,
        defectPhotos: [],
        checklist: { ...report().checklist, remarks: null, test_drive_done: false, recommendation: 'maybe' },
      }),
    );

    const text = await pdfText(pdf);
    expect(text).toContain('Non renseignée');
    expect(text).toContain('Non effectue');
    expect(text).toContain('Inconnu');
    expect(text).not.toContain('Photos des defauts');
    expect(text).not.toContain('Remarques');
  });

  it('renders a receipt whose price lines add up to the total (§9-19)', async () => {
    const pdf = await renderer.receipt(receipt);

    const text = await pdfText(pdf);
    expect(text).toContain('Recu de paiement');
    expect(text).toContain('N° EM-3F2A9C4E');
    expect(text).toMatch(/Inspection de base\s+40\.00 EUR/);
    expect(text).toMatch(/Supplement diagnostic OBD\s+25\.00 EUR/);
    expect(text).not.toContain('Frais de deplacement');
    expect(text).toMatch(/Total\s+65\.00 EUR/);
    expect(text).toContain('Paye');
    expect(await pdfPageCount(pdf)).toBe(1);
    expect(await inkOnFirstPage(pdf)).toBeGreaterThan(0.01);
  });

  it('renders 20 reports at once, more than the pool has threads', async () => {
    const pdfs = await Promise.all(Array.from({ length: 20 }, () => renderer.inspectionReport(report())));

    expect(pdfs.every((pdf) => pdf.subarray(0, 5).toString() === '%PDF-')).toBe(true);
  });

  it('terminates a render that outlives the timeout, and the pool keeps working', async () => {
    const stuck = new PdfRenderer({
      // Long enough for a fresh worker to start on a loaded machine: from the sources it loads the
      // TypeScript compiler first.
      timeoutMs: 5_000,
      maxThreads: 1,
      workerFile: join(__dirname, '../support/fixtures/stuck-pdf.worker.ts'),
    });
    try {
      await expect(stuck.receipt({ ...receipt, status: 'hang' })).rejects.toBeInstanceOf(PdfRenderingFailed);
      // One thread only: this render can succeed only if the spinning worker was terminated and replaced.
      const pdf = await stuck.receipt(receipt);
      expect(await pdfText(pdf)).toContain('Recu de paiement');
    } finally {
      await stuck.onApplicationShutdown();
    }
  });
});
