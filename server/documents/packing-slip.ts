// The packing slip that goes in an order's first carton: who it is from, the order (number also as
// Code 128 for the pack station's scanner), where it goes and what is in it. A4 or Letter, portrait;
// lines run on over as many pages as they need, each page with the table's header and "Page n of m".
import { PageSizes, PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { code128Barcode, isCode128Text } from './barcodes';
import { drawable, fitted, wrapped } from './pdf-text';
import type { PackingSlip, PackingSlipLine } from './types';

/** Page margin (points; 72 to the inch). */
const MARGIN = 40;
/** Narrow bar of the order barcode: 0.33 mm, read by any pack-station scanner off laser paper. */
const ORDER_MODULE_PT = 0.94;
const ORDER_BARCODE_HEIGHT = 40;
const ORDER_BARCODE_MAX_WIDTH = 220;
/** Product names wrap to at most this many lines in the table. */
const NAME_MAX_LINES = 3;

const BODY = 9;
const LINE = 11.5;
const GREY = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.75, 0.75, 0.75);

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
  cell(line: PackingSlipLine): string;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** The lines table; the product name takes what the fixed columns leave. */
function columns(tableWidth: number): Column[] {
  const fixed: Column[] = [
    { title: 'SKU', width: 100, align: 'left', cell: (l) => l.sku },
    { title: 'Product', width: 0, align: 'left', cell: (l) => l.name },
    { title: 'Lot', width: 80, align: 'left', cell: (l) => l.lot ?? '' },
    { title: 'Ordered', width: 48, align: 'right', cell: (l) => String(l.ordered) },
    { title: 'Packed', width: 48, align: 'right', cell: (l) => String(l.packed) },
  ];
  fixed[1]!.width = tableWidth - fixed.reduce((sum, c) => sum + c.width, 0);
  return fixed;
}

/** Cell padding on each side. */
const PAD = 3;

/** Draws `text` (made drawable and cut to `width`) with its top at `top`. */
function text(page: PDFPage, font: PDFFont, value: string, x: number, top: number, size: number, width: number, align: 'left' | 'right' = 'left', color = rgb(0, 0, 0)): void {
  const line = fitted(font, drawable(font, value), size, width);
  const dx = align === 'right' ? width - font.widthOfTextAtSize(line, size) : 0;
  page.drawText(line, { x: x + dx, y: top - size, size, font, color });
}

function rule(page: PDFPage, x: number, y: number, width: number, thickness = 0.5): void {
  page.drawLine({ start: { x, y }, end: { x: x + width, y }, thickness, color: RULE });
}

function tableHeader(page: PDFPage, fonts: Fonts, cols: Column[], top: number): number {
  let x = MARGIN;
  for (const col of cols) {
    text(page, fonts.bold, col.title, x + PAD, top, BODY, col.width - 2 * PAD, col.align);
    x += col.width;
  }
  const bottom = top - LINE - 3;
  rule(page, MARGIN, bottom, cols.reduce((sum, c) => sum + c.width, 0), 1);
  return bottom - 3;
}

/** Each row's cell lines (the name wrapped, the rest on one line) and its height. */
function layoutRows(fonts: Fonts, cols: Column[], lines: PackingSlipLine[]): { cells: string[][]; height: number }[] {
  return lines.map((line) => {
    const cells = cols.map((col) =>
      col.title === 'Product' ? wrapped(fonts.regular, col.cell(line), BODY, col.width - 2 * PAD, NAME_MAX_LINES) : [col.cell(line)],
    );
    return { cells, height: Math.max(1, ...cells.map((c) => c.length)) * LINE + 4 };
  });
}

/** The first page's head: owner, order barcode, details and ship-to. Returns the top of the table. */
async function firstPageHead(doc: PDFDocument, page: PDFPage, fonts: Fonts, slip: PackingSlip): Promise<number> {
  const { width, height } = page.getSize();
  const top = height - MARGIN;
  const right = width - MARGIN;
  const headWidth = width - 2 * MARGIN - ORDER_BARCODE_MAX_WIDTH - 20;

  const owner = wrapped(fonts.bold, slip.ownerName, 18, headWidth, 2);
  owner.forEach((line, i) => page.drawText(line, { x: MARGIN, y: top - 18 - i * 21, size: 18, font: fonts.bold }));
  let y = top - Math.max(1, owner.length) * 21 - 4;
  text(page, fonts.regular, 'PACKING SLIP', MARGIN, y, 11, headWidth, 'left', GREY);

  // Order numbers Code 128 cannot carry as they are (non-ASCII) print as text only.
  if (isCode128Text(slip.orderNumber)) {
    const barcode = await code128Barcode(slip.orderNumber);
    const image = await doc.embedPng(barcode.png);
    const barWidth = Math.min(barcode.modules * ORDER_MODULE_PT, ORDER_BARCODE_MAX_WIDTH);
    page.drawImage(image, { x: right - barWidth, y: top - ORDER_BARCODE_HEIGHT, width: barWidth, height: ORDER_BARCODE_HEIGHT });
  }
  text(page, fonts.bold, slip.orderNumber, right - ORDER_BARCODE_MAX_WIDTH, top - ORDER_BARCODE_HEIGHT - 4, 12, ORDER_BARCODE_MAX_WIDTH, 'right');

  y = Math.min(y - 11, top - ORDER_BARCODE_HEIGHT - 16) - 18;
  rule(page, MARGIN, y + 8, width - 2 * MARGIN);

  // Two columns: ship-to on the left, the order's details on the right.
  const colWidth = (width - 2 * MARGIN - 20) / 2;
  text(page, fonts.bold, 'Ship to', MARGIN, y, 10, colWidth, 'left', GREY);
  const address = [slip.shipTo.name, slip.shipTo.company ?? '', ...slip.shipTo.lines].filter((line) => line.trim() !== '');
  address.forEach((line, i) => text(page, i === 0 ? fonts.bold : fonts.regular, line, MARGIN, y - 14 - i * 13, 10.5, colWidth));

  const details: [string, string][] = [
    ['Order', slip.orderNumber],
    ['Order date', slip.orderDate],
    ['Shipping method', slip.shippingMethod],
    ['Cartons', String(slip.cartonCount)],
  ];
  const dx = MARGIN + colWidth + 20;
  details.forEach(([label, value], i) => {
    text(page, fonts.regular, label, dx, y - i * 15, 10, 90, 'left', GREY);
    text(page, fonts.bold, value, dx + 92, y - i * 15, 10, colWidth - 92);
  });
  return y - Math.max(14 + address.length * 13, details.length * 15) - 16;
}

export async function packingSlipPdf(slip: PackingSlip): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`Packing slip ${slip.orderNumber}`);
  doc.setAuthor(slip.ownerName);
  doc.setCreator('Dockhand');
  doc.setProducer('Dockhand (pdf-lib)');
  const fonts: Fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  const size = slip.pageSize === 'Letter' ? PageSizes.Letter : PageSizes.A4;
  const tableWidth = size[0] - 2 * MARGIN;
  const cols = columns(tableWidth);
  const footerTop = MARGIN + 14;

  let page = doc.addPage(size);
  let y = tableHeader(page, fonts, cols, await firstPageHead(doc, page, fonts, slip));
  const rows = layoutRows(fonts, cols, slip.lines);
  const totals = { ordered: 0, packed: 0 };
  for (const [i, row] of rows.entries()) {
    if (y - row.height < footerTop + LINE * 2) {
      page = doc.addPage(size);
      const top = size[1] - MARGIN;
      text(page, fonts.bold, `${slip.ownerName} · Order ${slip.orderNumber} (continued)`, MARGIN, top, 11, tableWidth);
      y = tableHeader(page, fonts, cols, top - 24);
    }
    let x = MARGIN;
    row.cells.forEach((cellLines, c) => {
      const col = cols[c]!;
      cellLines.forEach((line, l) => text(page, fonts.regular, line, x + PAD, y - l * LINE - 2, BODY, col.width - 2 * PAD, col.align));
      x += col.width;
    });
    y -= row.height;
    rule(page, MARGIN, y, tableWidth);
    totals.ordered += slip.lines[i]!.ordered;
    totals.packed += slip.lines[i]!.packed;
  }
  const [ordered, packed] = [cols[3]!, cols[4]!];
  const totalsX = MARGIN + tableWidth - ordered.width - packed.width;
  text(page, fonts.bold, 'Total units', MARGIN + PAD, y - 4, BODY, totalsX - MARGIN - 2 * PAD, 'right');
  text(page, fonts.bold, String(totals.ordered), totalsX + PAD, y - 4, BODY, ordered.width - 2 * PAD, 'right');
  text(page, fonts.bold, String(totals.packed), totalsX + ordered.width + PAD, y - 4, BODY, packed.width - 2 * PAD, 'right');

  const pages = doc.getPages();
  pages.forEach((p, i) => {
    text(p, fonts.regular, `Order ${slip.orderNumber}`, MARGIN, MARGIN + 9, 8, tableWidth / 2, 'left', GREY);
    text(p, fonts.regular, `Page ${i + 1} of ${pages.length}`, MARGIN + tableWidth / 2, MARGIN + 9, 8, tableWidth / 2, 'right', GREY);
  });
  return Buffer.from(await doc.save());
}
