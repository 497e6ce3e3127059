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

/** inspection_checklists (messaging-reports §1.6), as validated at check-out. */
export interface ChecklistInput {
  brakes: string;
  tires: string;
  fluids: string;
  battery: string;
  suspension: string;
  body: string;
  exhaust: string;
  lights: string;
  test_drive_done: boolean;
  test_drive_behavior: string | null;
  remarks: string | null;
  recommendation: string;
}

/**
 * Everything the report shows (§4.2). Photos come as bytes read from our own storage: the renderer
 * never fetches a URL (the later version's SSRF hardening, taken further).
 */
export interface InspectionReportInput {
  bookingId: string;
  vehicle: { brand: string; model: string; year: number | null };
  plate: string | null;
  odometerKm: number;
  meetingAddress: string;
  platePhoto: Uint8Array | null;
  odometerPhoto: Uint8Array | null;
  defectPhotos: Uint8Array[];
  checklist: ChecklistInput;
  mechanicName: string;
  inspectionDate: Date;
}

/** §4.4: stored checklist value → French label and severity; unknown values print raw, uncoloured. */
const STATUS_LABELS: Record<string, [label: string, severity: Severity]> = {
  ok: ['OK', 'green'],
  good: ['Bon', 'green'],
  normal: ['Normal', 'green'],
  warning: ['Attention', 'amber'],
  low: ['Bas', 'amber'],
  weak: ['Faible', 'amber'],
  worn: ['Use', 'amber'],
  average: ['Moyen', 'amber'],
  rust: ['Rouille', 'amber'],
  suspect: ['Suspect', 'amber'],
  critical: ['Critique', 'red'],
  empty: ['Vide', 'red'],
  dead: ['HS', 'red'],
  broken: ['Casse', 'red'],
  bad: ['Mauvais', 'red'],
  hole: ['Troue', 'red'],
  defect: ['Defaillant', 'red'],
  dangerous: ['Dangereux', 'red'],
};

export function statusLabel(value: string): { label: string; severity: Severity | null } {
  const known = STATUS_LABELS[value];
  return known ? { label: known[0], severity: known[1] } : { label: value, severity: null };
}

const RECOMMENDATIONS: Record<string, [label: string, severity: Severity]> = {
  buy: ['Achat recommande', 'green'],
  negotiate: ['A negocier', 'amber'],
  avoid: ['Achat deconseille', 'red'],
};

export function recommendationLabel(value: string): { label: string; severity: Severity | null } {
  const known = RECOMMENDATIONS[value];
  return known ? { label: known[0], severity: known[1] } : { label: 'Inconnu', severity: null };
}

/** The checklist rows in the order of §4.3-6. */
const CHECKLIST_ROWS: [label: string, field: keyof ChecklistInput][] = [
  ['Freins', 'brakes'],
  ['Pneus', 'tires'],
  ['Niveaux (fluides)', 'fluids'],
  ['Batterie', 'battery'],
  ['Suspensions', 'suspension'],
  ['Carrosserie', 'body'],
  ['Echappement', 'exhaust'],
  ['Eclairage', 'lights'],
];

/** `123 456`: thousands separated by a space. */
export function formatOdometer(km: number): string {
  return String(km).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

type Doc = InstanceType<typeof PDFDocument>;

export function renderInspectionReport(input: InspectionReportInput): Promise<Buffer> {
  const date = frenchDate(input.inspectionDate);
  return toBuffer(
    new PDFDocument({ size: 'A4', margin: PAGE_MARGIN, info: { Title: 'Rapport eMecano' } }),
    (doc) => {
      header(doc, "Rapport d'inspection informel de vehicule");
      disclaimer(doc, date);
      sectionTitle(doc, 'Informations du vehicule');
      labelValueRows(doc, [
        ['Marque', input.vehicle.brand],
        ['Modele', input.vehicle.model],
        ['Annee', input.vehicle.year === null ? '' : String(input.vehicle.year)],
        ['Plaque', input.plate || 'Non renseignée'],
        ['Kilometrage', `${formatOdometer(input.odometerKm)} km`],
        ['Adresse RDV', input.meetingAddress],
      ]);
      photos(doc, input);
      checklist(doc, input.checklist);
      if (input.checklist.remarks) remarks(doc, input.checklist.remarks);
      const recommendation = recommendationLabel(input.checklist.recommendation);
      banner(doc, recommendation.label, recommendation.severity);
      ensureRoom(doc, 40);
      doc
        .font('Helvetica-Bold')
        .fontSize(12)
        .fillColor(COLOURS.text)
        .text(`Inspecteur : ${input.mechanicName}`);
      doc.font('Helvetica').text(`Date : ${date}`);
      footer(doc, `Genere via eMecano - ID Rapport #EM-${shortReference(input.bookingId)}`);
    },
  );
}

function disclaimer(doc: Doc, date: string): void {
  const y = doc.y;
  const width = contentWidth(doc);
  const lines = [
    'Ce rapport est un avis informel donne par un particulier. Il ne remplace en aucun cas le controle technique officiel.',
    "Le signataire agit a titre personnel et ne garantit pas l'absence de vices caches ou de defauts non detectes.",
    "Tout achat se fait aux risques et perils de l'acheteur.",
  ];
  doc.font('Helvetica').fontSize(10);
  const bodyHeight = lines.reduce(
    (sum, line) => sum + doc.heightOfString(line, { width: width - 24 }) + 4,
    0,
  );
  const height = bodyHeight + 52;
  doc.rect(PAGE_MARGIN, y, width, height).fillAndStroke('#fef2f2', COLOURS.red);
  doc.lineWidth(3).rect(PAGE_MARGIN, y, width, height).stroke(COLOURS.red);
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(COLOURS.red)
    .text('IMPORTANT - LIMITATION DE RESPONSABILITE', PAGE_MARGIN + 12, y + 10, { width: width - 24 });
  doc.font('Helvetica').fontSize(10).fillColor(COLOURS.text);
  for (const line of lines) doc.text(line, { width: width - 24 }).moveDown(0.2);
  doc.font('Helvetica-Bold').text(`Date de validite : ${date} uniquement`, { width: width - 24 });
  doc.x = PAGE_MARGIN;
  doc.y = y + height + 10;
}

function photos(doc: Doc, input: InspectionReportInput): void {
  const captioned: [Uint8Array, string][] = [];
  if (input.platePhoto) captioned.push([input.platePhoto, "Plaque d'immatriculation"]);
  if (input.odometerPhoto) captioned.push([input.odometerPhoto, 'Compteur kilometrique']);
  if (captioned.length > 0) {
    sectionTitle(doc, 'Photos');
    imageGrid(doc, captioned, 240, 160);
  }
  if (input.defectPhotos.length > 0) {
    sectionTitle(doc, 'Photos des defauts');
    imageGrid(
      doc,
      input.defectPhotos.map((photo, index) => [photo, `Photo ${index + 1}`]),
      150,
      112,
    );
  }
}

/** Images side by side, wrapping, each fitted into `width`×`height` with its caption below. */
function imageGrid(doc: Doc, images: [Uint8Array, string][], width: number, height: number): void {
  const gap = 12;
  const perRow = Math.max(1, Math.floor((contentWidth(doc) + gap) / (width + gap)));
  for (let start = 0; start < images.length; start += perRow) {
    ensureRoom(doc, height + 24);
    const y = doc.y;
    images.slice(start, start + perRow).forEach(([bytes, caption], column) => {
      const x = PAGE_MARGIN + column * (width + gap);
      drawImage(doc, bytes, x, y, width, height);
      doc
        .font('Helvetica')
        .fontSize(9)
        .fillColor(COLOURS.muted)
        .text(caption, x, y + height + 4, { width, align: 'center' });
    });
    doc.x = PAGE_MARGIN;
    doc.y = y + height + 22;
  }
}

/**
 * A photo that passed the upload checks (type and magic bytes) may still not decode: like the
 * original's HTML renderer, the report then shows an empty frame rather than failing altogether.
 */
function drawImage(doc: Doc, bytes: Uint8Array, x: number, y: number, width: number, height: number): void {
  try {
    doc.image(Buffer.from(bytes), x, y, { fit: [width, height], align: 'center', valign: 'center' });
  } catch {
    doc.lineWidth(0.5).rect(x, y, width, height).stroke(COLOURS.rule);
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(COLOURS.muted)
      .text('Image illisible', x, y + height / 2 - 5, { width, align: 'center' });
  }
}

function checklist(doc: Doc, input: ChecklistInput): void {
  sectionTitle(doc, "Checklist d'inspection");
  const width = contentWidth(doc);
  const stateX = PAGE_MARGIN + width / 2;
  const row = (label: string, state: string, colour: string, bold = false) => {
    ensureRoom(doc, 22);
    const y = doc.y;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(11)
      .fillColor(COLOURS.text)
      .text(label, PAGE_MARGIN + 6, y);
    doc
      .font('Helvetica-Bold')
      .fillColor(colour)
      .text(state, stateX, y, { width: width / 2 - 6 });
    const bottom = Math.max(doc.y, y + 16) + 3;
    doc
      .moveTo(PAGE_MARGIN, bottom)
      .lineTo(PAGE_MARGIN + width, bottom)
      .lineWidth(0.5)
      .stroke(COLOURS.rule);
    doc.x = PAGE_MARGIN;
    doc.y = bottom + 5;
  };
  row('Element', 'Etat', COLOURS.text, true);
  for (const [label, field] of CHECKLIST_ROWS) {
    const { label: state, severity } = statusLabel(String(input[field]));
    row(label, state, severity ? COLOURS[severity] : COLOURS.text);
  }
  row('Essai routier', testDrive(input), COLOURS.text);
}

/** "Effectue - <behaviour>" or "Non effectue"; this cell stays uncoloured (§4.3-6). */
function testDrive(input: ChecklistInput): string {
  if (!input.test_drive_done) return 'Non effectue';
  return input.test_drive_behavior
    ? `Effectue - ${statusLabel(input.test_drive_behavior).label}`
    : 'Effectue';
}

function remarks(doc: Doc, text: string): void {
  sectionTitle(doc, 'Remarques');
  const width = contentWidth(doc);
  doc.font('Helvetica').fontSize(11);
  const height = doc.heightOfString(text, { width: width - 24 }) + 20;
  ensureRoom(doc, height);
  const y = doc.y;
  doc.roundedRect(PAGE_MARGIN, y, width, height, 6).fill('#f3f4f6');
  doc.fillColor(COLOURS.text).text(text, PAGE_MARGIN + 12, y + 10, { width: width - 24 });
  doc.x = PAGE_MARGIN;
  doc.y = y + height + 6;
}
