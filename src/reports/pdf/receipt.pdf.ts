import PDFDocument from 'pdfkit';
import {
  banner,
  COLOURS,
  contentWidth,
  ensureRoom,
  footer,
  frenchDate,
  header,
  labelValueRows,
  PAGE_MARGIN,
  sectionTitle,
  type Severity,
  shortReference,
  toBuffer,
} from './pdf-layout';

/**
 * The fixed, typed receipt data (messaging-reports §4.6, later version), amounts already formatted
 * with two decimals. The price lines add up to the total (§9-19: the original's "OBD" line was the
 * difference of the other lines, so it was 0.00; `receipts/receipt-prices.ts` computes them).
 */
export interface ReceiptInput {
  bookingId: string;
  status: string;
  serviceDate: Date;
  mechanicCity: string | null;
  vehicle: { brand: string; model: string; year: number | null };
  prices: {
    base: string;
    /** Present only when the buyer asked for the OBD diagnostic. */
    obdSupplement: string | null;
    travelFees: string;
    total: string;
  };
}

const PAYMENT_STATUS: Record<string, [label: string, severity: Severity]> = {
  completed: ['Paye', 'green'],
  validated: ['En cours de traitement', 'amber'],
  cancelled: ['Annule', 'red'],
  disputed: ['En litige', 'amber'],
};

export function paymentStatusLabel(status: string): { label: string; severity: Severity } {
  const [label, severity] = PAYMENT_STATUS[status] ?? ['En attente', 'amber'];
  return { label, severity };
}

export function receiptNumber(bookingId: string): string {
  return `EM-${shortReference(bookingId)}`;
}

export function renderReceipt(input: ReceiptInput): Promise<Buffer> {
  return toBuffer(
    new PDFDocument({ size: 'A4', margin: PAGE_MARGIN, info: { Title: 'Recu eMecano' } }),
    (doc) => {
      header(doc, 'Plateforme de mise en relation acheteurs - mecaniciens');
      doc
        .font('Helvetica-Bold')
        .fontSize(20)
        .fillColor(COLOURS.text)
        .text('Recu de paiement', { align: 'center' });
      doc
        .font('Helvetica')
        .fontSize(11)
        .fillColor(COLOURS.muted)
        .text(`N° ${receiptNumber(input.bookingId)}`, {
          align: 'center',
        });
      sectionTitle(doc, 'Informations de la prestation');
      labelValueRows(doc, [
        ['Date de service', frenchDate(input.serviceDate)],
        ['Ville du mecanicien', input.mechanicCity ?? 'Non renseigne'],
      ]);
      sectionTitle(doc, 'Vehicule inspecte');
      labelValueRows(doc, [
        ['Marque', input.vehicle.brand],
        ['Modele', input.vehicle.model],
        ['Annee', input.vehicle.year === null ? '' : String(input.vehicle.year)],
      ]);
      sectionTitle(doc, 'Detail du prix');
      priceTable(doc, input.prices);
      const status = paymentStatusLabel(input.status);
      banner(doc, status.label, status.severity);
      footer(doc, 'Document genere automatiquement par eMecano');
    },
  );
}

function priceTable(doc: InstanceType<typeof PDFDocument>, prices: ReceiptInput['prices']): void {
  const rows: [string, string][] = [['Inspection de base', prices.base]];
  if (prices.obdSupplement !== null) rows.push(['Supplement diagnostic OBD', prices.obdSupplement]);
  if (prices.travelFees !== '0.00') rows.push(['Frais de deplacement', prices.travelFees]);
  const width = contentWidth(doc);
  const line = (description: string, amount: string, bold: boolean) => {
    ensureRoom(doc, 22);
    const y = doc.y;
    if (bold) doc.rect(PAGE_MARGIN, y - 4, width, 22).fill('#eff6ff');
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(11)
      .fillColor(COLOURS.text);
    doc.text(description, PAGE_MARGIN + 6, y);
    doc.text(amount, PAGE_MARGIN, y, { width: width - 6, align: 'right' });
    doc.x = PAGE_MARGIN;
    doc.y = y + 20;
  };
  line('Description', 'Montant', true);
  for (const [description, amount] of rows) line(description, `${amount} EUR`, false);
  line('Total', `${prices.total} EUR`, true);
}
