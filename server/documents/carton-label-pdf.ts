// The carton content label as a 4×6 in PDF, for stations printing through a desktop print dialog:
// sender, ship-to, order, carton n of m, weight, contents and the SSCC as GS1-128.
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { ssccBarcode } from './barcodes';
import { addressLines, assertSscc, contentRows, contentsHeading, weightText } from './carton-label-content';
import { drawable, fitted, wrapped } from './pdf-text';
import type { CartonLabel } from './types';

const MM = 72 / 25.4;
/** 4 × 6 inches, portrait. */
export const LABEL_SIZE_PT: [number, number] = [4 * 72, 6 * 72];
const MARGIN = 14;
/** SSCC narrow bar: 0.5 mm, within GS1's 0.495–1.016 mm for logistic labels. */
const SSCC_MODULE_MM = 0.5;
/** SSCC bar height: GS1's 32 mm minimum for logistic labels. */
const SSCC_BAR_HEIGHT_MM = 32;
const GREY = rgb(0.35, 0.35, 0.35);

/** Draws one line with its top at `top`, made drawable and cut to `width`. */
function line(page: PDFPage, font: PDFFont, value: string, top: number, size: number, options: { x?: number; width?: number; align?: 'left' | 'right' | 'center'; grey?: boolean } = {}): void {
  const x = options.x ?? MARGIN;
  const width = options.width ?? LABEL_SIZE_PT[0] - 2 * MARGIN;
  const fit = fitted(font, drawable(font, value), size, width);
  const free = width - font.widthOfTextAtSize(fit, size);
  const dx = options.align === 'right' ? free : options.align === 'center' ? free / 2 : 0;
  page.drawText(fit, { x: x + dx, y: top - size, size, font, color: options.grey ? GREY : rgb(0, 0, 0) });
}

function rule(page: PDFPage, y: number): void {
  page.drawLine({ start: { x: MARGIN, y }, end: { x: LABEL_SIZE_PT[0] - MARGIN, y }, thickness: 1.2 });
}

export async function cartonLabelPdf(label: CartonLabel): Promise<Buffer> {
  assertSscc(label.sscc);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`Carton ${label.cartonNumber} of ${label.cartonCount}, order ${label.orderNumber}`);
  doc.setCreator('Dockhand');
  doc.setProducer('Dockhand (pdf-lib)');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage(LABEL_SIZE_PT);
  const [width, height] = LABEL_SIZE_PT;
  const inner = width - 2 * MARGIN;

  let y = height - MARGIN;
  line(page, regular, 'FROM', y, 7, { grey: true });
  line(page, bold, label.ownerName, y - 9, 10);
  y -= 26;
  rule(page, y);

  y -= 6;
  line(page, regular, 'SHIP TO', y, 7, { grey: true });
  y -= 10;
  for (const name of wrapped(bold, label.shipTo.name, 15, inner, 2)) {
    line(page, bold, name, y, 15);
    y -= 17;
  }
  for (const l of addressLines(label.shipTo)) {
    line(page, regular, l, y, 11);
    y -= 13;
  }
  y -= 4;
  rule(page, y);

  y -= 6;
  line(page, regular, 'ORDER', y, 7, { grey: true });
  line(page, regular, 'CARTON', y, 7, { grey: true, align: 'right' });
  line(page, bold, label.orderNumber, y - 9, 14, { width: inner * 0.6 });
  line(page, bold, `${label.cartonNumber} of ${label.cartonCount}`, y - 9, 14, { align: 'right' });
  line(page, regular, `Weight ${weightText(label.weightKg)}`, y - 27, 10);
  y -= 42;
  rule(page, y);

  y -= 6;
  line(page, regular, contentsHeading(label), y, 7, { grey: true });
  y -= 10;
  for (const row of contentRows(label)) {
    line(page, regular, row, y, 9);
    y -= 11;
  }

  // The SSCC at the foot, centred, its quiet zones inside the image.
  const barcode = await ssccBarcode(label.sscc);
  const image = await doc.embedPng(barcode.png);
  const barWidth = barcode.modules * SSCC_MODULE_MM * MM;
  const barHeight = SSCC_BAR_HEIGHT_MM * MM;
  const hriTop = MARGIN + 12;
  page.drawImage(image, { x: (width - barWidth) / 2, y: hriTop + 3, width: barWidth, height: barHeight });
  line(page, bold, `(00) ${label.sscc}`, hriTop, 11, { align: 'center' });
  line(page, regular, 'SSCC', hriTop + 3 + barHeight + 10, 7, { grey: true });
  return Buffer.from(await doc.save());
}
