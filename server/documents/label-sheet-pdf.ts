// Bin and LPN labels as PDF pages of a label stock (server/documents/label-stock): on each label
// its code in large type and as Code 128 (bwip-js, every module scaled alike), and a smaller detail
// line under the bars where the label is tall enough.
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { LabelStock } from '../../src/domain/label-sheets';
import { code128Barcode, isCode128Text } from './barcodes';
import { LABEL_TYPE, labelCornerMm, labelsPerPage, moduleWidthMm, STOCK_LAYOUTS, notCode128, tooLong, type SheetLabel, type StockLayout } from './label-stock';
import { drawable, fitted } from './pdf-text';

const MM = 72 / 25.4;
const GREY = rgb(0.35, 0.35, 0.35);
const { codePtPerMm, maxCodePt, detailPt, detailMinLabelMm, maxBarMm, gapMm } = LABEL_TYPE;

interface Fonts {
  bold: PDFFont;
  regular: PDFFont;
}

/** `labels` laid out on `stock`, page after page; `title` names the file in a viewer. */
export async function labelSheetPdf(labels: readonly SheetLabel[], stock: LabelStock, title: string): Promise<Buffer> {
  const layout = STOCK_LAYOUTS[stock];
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title);
  doc.setCreator('Dockhand');
  doc.setProducer('Dockhand (pdf-lib)');
  const fonts = { bold: await doc.embedFont(StandardFonts.HelveticaBold), regular: await doc.embedFont(StandardFonts.Helvetica) };
  const perPage = labelsPerPage(layout);
  let page: PDFPage | undefined;
  for (const [index, label] of labels.entries()) {
    if (index % perPage === 0) page = doc.addPage([layout.pageMm[0] * MM, layout.pageMm[1] * MM]);
    await drawLabel(doc, page!, layout, labelCornerMm(layout, index % perPage), label, fonts, stock);
  }
  return Buffer.from(await doc.save());
}

async function drawLabel(doc: PDFDocument, page: PDFPage, layout: StockLayout, [leftMm, topMm]: [number, number], label: SheetLabel, fonts: Fonts, stock: LabelStock): Promise<void> {
  if (!isCode128Text(label.code)) throw notCode128(label.code);
  const [widthMm, heightMm] = layout.labelMm;
  const left = leftMm * MM;
  const width = widthMm * MM;
  const inner = (widthMm - 2 * layout.paddingMm) * MM;
  // PDF y runs up from the page's foot.
  const top = (layout.pageMm[1] - topMm - layout.paddingMm) * MM;
  let bottom = (layout.pageMm[1] - topMm - heightMm + layout.paddingMm) * MM;

  const barcode = await code128Barcode(label.code);
  const moduleMm = moduleWidthMm(layout, barcode.modules);
  if (moduleMm === null) throw tooLong(label.code, stock);

  const size = Math.min(maxCodePt, heightMm * codePtPerMm, inner / fonts.bold.widthOfTextAtSize(label.code, 1));
  const codeWidth = fonts.bold.widthOfTextAtSize(label.code, size);
  // Helvetica's capitals stand 0.72 of the size above the baseline.
  page.drawText(label.code, { x: left + (width - codeWidth) / 2, y: top - 0.72 * size, size, font: fonts.bold });

  if (label.detail && heightMm >= detailMinLabelMm) {
    const detail = fitted(fonts.regular, drawable(fonts.regular, label.detail), detailPt, inner);
    const detailWidth = fonts.regular.widthOfTextAtSize(detail, detailPt);
    page.drawText(detail, { x: left + (width - detailWidth) / 2, y: bottom + 0.25 * detailPt, size: detailPt, font: fonts.regular, color: GREY });
    bottom += detailPt + gapMm * MM;
  }

  const room = top - 0.72 * size - gapMm * MM - bottom;
  const barHeight = Math.min(room, maxBarMm * MM);
  const barWidth = barcode.modules * moduleMm * MM;
  const image = await doc.embedPng(barcode.png);
  page.drawImage(image, { x: left + (width - barWidth) / 2, y: bottom + (room - barHeight) / 2, width: barWidth, height: barHeight });
}
