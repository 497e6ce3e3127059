import type PDFDocument from 'pdfkit';

/** The reports' visual style (messaging-reports §4.3): blue brand, traffic-light severities. */
export const COLOURS = {
  primary: '#2563eb',
  green: '#16a34a',
  amber: '#d97706',
  red: '#dc2626',
  text: '#1f2937',
  muted: '#6b7280',
  rule: '#e5e7eb',
} as const;

export type Severity = 'green' | 'amber' | 'red';

type Doc = InstanceType<typeof PDFDocument>;

export const PAGE_MARGIN = 40;

export function contentWidth(doc: Doc): number {
  return doc.page.width - 2 * PAGE_MARGIN;
}

/** `DD/MM/YYYY` in UTC, as the originals print dates. */
export function frenchDate(date: Date): string {
  const day = String(date.getUTCDate()).padStart(2, '0');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${day}/${month}/${date.getUTCFullYear()}`;
}

/** First 8 hex characters of the booking id, upper-cased: the report and receipt numbers. */
export function shortReference(bookingId: string): string {
  return bookingId.replace(/-/g, '').slice(0, 8).toUpperCase();
}

/** Starts a new page when fewer than `height` points are left. */
export function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - PAGE_MARGIN) doc.addPage();
}

export function header(doc: Doc, subtitle: string): void {
  doc.font('Helvetica-Bold').fontSize(26).fillColor(COLOURS.primary).text('eMecano', { align: 'center' });
  doc.font('Helvetica').fontSize(12).fillColor(COLOURS.muted).text(subtitle, { align: 'center' });
  const y = doc.y + 8;
  doc
    .moveTo(PAGE_MARGIN, y)
    .lineTo(PAGE_MARGIN + contentWidth(doc), y)
    .lineWidth(2)
    .stroke(COLOURS.primary);
  doc.x = PAGE_MARGIN;
  doc.y = y + 14;
}

export function sectionTitle(doc: Doc, title: string): void {
  ensureRoom(doc, 60);
  doc.moveDown(0.6);
  doc.font('Helvetica-Bold').fontSize(15).fillColor(COLOURS.primary).text(title, PAGE_MARGIN);
  doc.moveDown(0.3);
}

/** A two-column label/value grid. */
export function labelValueRows(doc: Doc, rows: [label: string, value: string][]): void {
  const labelWidth = 150;
  for (const [label, value] of rows) {
    ensureRoom(doc, 20);
    const y = doc.y;
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .fillColor(COLOURS.text)
      .text(label, PAGE_MARGIN, y, { width: labelWidth });
    doc.font('Helvetica').text(value, PAGE_MARGIN + labelWidth, y, { width: contentWidth(doc) - labelWidth });
    doc.x = PAGE_MARGIN;
    doc.moveDown(0.3);
  }
}

/** A coloured box with one centred, bold line (recommendation, payment status). */
export function banner(doc: Doc, text: string, severity: Severity | null): void {
  ensureRoom(doc, 60);
  doc.moveDown(0.8);
  const y = doc.y;
  const colour = severity ? COLOURS[severity] : COLOURS.muted;
  doc.roundedRect(PAGE_MARGIN, y, contentWidth(doc), 40, 6).lineWidth(2).stroke(colour);
  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .fillColor(colour)
    .text(text, PAGE_MARGIN, y + 12, { width: contentWidth(doc), align: 'center' });
  doc.x = PAGE_MARGIN;
  doc.y = y + 52;
}

export function footer(doc: Doc, text: string): void {
  ensureRoom(doc, 30);
  doc.moveDown(1.5);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(COLOURS.muted)
    .text(text, PAGE_MARGIN, doc.y, { width: contentWidth(doc), align: 'center' });
}

/** Renders the document into memory. */
export function toBuffer(doc: Doc, draw: (doc: Doc) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}
