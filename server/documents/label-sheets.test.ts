// Bin and LPN label sheets read back: each stock's pages at its size, every label inside the page,
// every barcode image decoding (zxing-cpp) to exactly the code the floor app reads, and the ZPL's
// ^BC data, rendered as the printer encodes it, decoding alike and fitting the roll's width.
import bwipjs from 'bwip-js/node';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabelStock } from '../../src/domain/label-sheets';
import { formatLpn, readLpnCode } from '../../src/domain/workflows/receive-lpn';
import { images, pageText, prepareDecoder, read } from '../../test/support/pdf-read';
import { labelSheetPdf, labelSheetZpl, UnprintableLabelError, type SheetLabel } from './index';
import { code128Modules } from './barcodes';
import { labelCornerMm, labelsPerPage, moduleWidthMm, QUIET_MODULES, STOCK_LAYOUTS } from './label-stock';

beforeAll(prepareDecoder);

const bins = (count: number): SheetLabel[] =>
  Array.from({ length: count }, (_, i) => ({ code: `A-${String(Math.floor(i / 4) + 1).padStart(2, '0')}-${(i % 4) + 1}`, detail: 'Zone A' }));
const lpns = (count: number, first = 1): SheetLabel[] => Array.from({ length: count }, (_, i) => ({ code: formatLpn(first + i) }));

/** What every barcode image in the PDF decodes to, as a scanner hands it over (AIM id + text). */
async function decoded(pdf: PDFDocument): Promise<string[]> {
  const reads = await Promise.all(images(pdf).map(async (image) => (await read(image)).map((r) => `${r.symbologyIdentifier}${r.text}`)));
  return reads.map((found) => (found.length === 1 ? found[0]! : `(${found.length} reads)`)).sort();
}

/** A page's size in points, to the hundredth. */
const sizeOf = (pdf: PDFDocument) => {
  const { width, height } = pdf.getPage(0).getSize();
  return { width: Math.round(width * 100) / 100, height: Math.round(height * 100) / 100 };
};

const PAGE_POINTS: Record<LabelStock, { width: number; height: number }> = {
  'a4-21': { width: 595.28, height: 841.89 },
  'letter-30': { width: 612, height: 792 },
  'thermal-4x6': { width: 288, height: 432 },
  'thermal-2x1': { width: 144, height: 72 },
};

describe('label stock', () => {
  it.each(LabelStock.options)('%s: every label lies inside the page and an LPN’s bars fit its width', (stock) => {
    const layout = STOCK_LAYOUTS[stock];
    for (let i = 0; i < labelsPerPage(layout); i++) {
      const [x, y] = labelCornerMm(layout, i);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + layout.labelMm[0]).toBeLessThanOrEqual(layout.pageMm[0] + 1e-6);
      expect(y + layout.labelMm[1]).toBeLessThanOrEqual(layout.pageMm[1] + 1e-6);
    }
    const modules = code128Modules(formatLpn(123_456_789)) + 2 * QUIET_MODULES;
    const width = moduleWidthMm(layout, modules);
    expect(width).not.toBeNull();
    expect(modules * width!).toBeLessThanOrEqual(layout.labelMm[0]);
  });
});

describe('labelSheetPdf', () => {
  it('lays 25 bins on two A4 pages of 21, each barcode decoding to its bin code as Code 128', async () => {
    const labels = bins(25);
    const pdf = await PDFDocument.load(await labelSheetPdf(labels, 'a4-21', 'bins A-01-1 to A-07-1'));
    expect(pdf.getPageCount()).toBe(2);
    expect(sizeOf(pdf)).toEqual(PAGE_POINTS['a4-21']);
    expect(await decoded(pdf)).toEqual(labels.map((l) => `]C0${l.code}`).sort());
    expect(pageText(pdf.getPage(1))).toContain('A-07-1');
    expect(pageText(pdf.getPage(0))).toContain('Zone A');
  });

  it.each(LabelStock.options)('prints LPNs on %s that the receive workflow reads as LPNs', async (stock) => {
    const labels = lpns(3, 999_999_990);
    const pdf = await PDFDocument.load(await labelSheetPdf(labels, stock, 'LPNs'));
    expect(sizeOf(pdf)).toEqual(PAGE_POINTS[stock]);
    expect(pdf.getPageCount()).toBe(Math.ceil(3 / labelsPerPage(STOCK_LAYOUTS[stock])));
    const reads = await decoded(pdf);
    expect(reads).toEqual(labels.map((l) => `]C0${l.code}`).sort());
    for (const read of reads) expect(readLpnCode(read.slice(3))).toEqual({ ok: true, code: read.slice(3) });
  });

  it('refuses a code no Code 128 carries, and one too long for the stock, naming it', async () => {
    await expect(labelSheetPdf([{ code: 'Gang-Ä-1' }], 'a4-21', 'x')).rejects.toThrow(UnprintableLabelError);
    await expect(labelSheetPdf([{ code: 'B'.repeat(60) }], 'thermal-2x1', 'x')).rejects.toThrow(/too long .* thermal-2x1/);
  });
});

describe('labelSheetZpl', () => {
  /** The ^BC field's data with ^FH's _XX escapes undone: what the printer encodes. */
  const barcodeData = (format: string) => /\^BC[^^]*\^FH\^FD(.*?)\^FS/.exec(format)![1]!.replace(/_([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const formats = (zpl: string) => zpl.split(/(?<=\^XZ\n)/).filter(Boolean);

  it.each([['thermal-4x6', 812, 1218], ['thermal-2x1', 406, 203]] as const)('one %s format per label, each ^BC decoding to its code and fitting the roll', async (stock, width, length) => {
    const labels = [...lpns(2, 123_456_788), { code: 'A-01-1', detail: 'Zone A' }, { code: 'Q^1~X_2', detail: null }];
    const zpl = labelSheetZpl(labels, stock);
    expect(/^[\x20-\x7e\n]*$/.test(zpl)).toBe(true);
    const each = formats(zpl);
    expect(each).toHaveLength(labels.length);
    for (const [i, format] of each.entries()) {
      expect(format.startsWith(`^XA\n^CI28\n^PW${width}\n^LL${length}\n`)).toBe(true);
      expect(format.match(/\^XZ/g)).toHaveLength(1);
      const data = barcodeData(format);
      expect(data).toBe(labels[i]!.code);
      const [, x, moduleDots] = /\^FO(\d+),\d+\^BY(\d+)\^BC/.exec(format)!.map(Number);
      expect(x!).toBeGreaterThanOrEqual(0);
      expect(x! + code128Modules(data) * moduleDots!).toBeLessThanOrEqual(width);
      const png = await bwipjs.toBuffer({ bcid: 'code128', text: data, scale: 3, height: 10, paddingwidth: 10, backgroundcolor: 'FFFFFF' });
      const [result] = await read(png);
      expect(`${result!.symbologyIdentifier}${result!.text}`).toBe(`]C0${labels[i]!.code}`);
    }
  });

  it('refuses sheet stock and a ">" the printer would take for a command', () => {
    expect(() => labelSheetZpl(lpns(1), 'a4-21')).toThrow(/roll/);
    expect(() => labelSheetZpl([{ code: 'A>1' }], 'thermal-4x6')).toThrow(UnprintableLabelError);
  });
});
