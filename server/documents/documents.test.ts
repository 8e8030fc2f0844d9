// The pack station's documents read back: the PDFs load in pdf-lib at the right page size with the
// order's text in them, the barcode images inside them decode (zxing-cpp) to the order number and
// the SSCC, and the ZPL's ^BC data, rendered the way the printer encodes it, decodes to the SSCC.
import bwipjs from 'bwip-js/node';
import { PDFDocument } from 'pdf-lib';
import type { ReadResult } from 'zxing-wasm/reader';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGs1 } from '../../src/domain/gs1';
import { ssccFor } from '../../src/domain/sscc';
import { cartonLabelPdf, cartonLabelZpl, packingSlipPdf, type CartonLabel, type PackingSlip } from './index';
import { zplFieldData } from './carton-label-zpl';
import { drawable, wrapped } from './pdf-text';
import { images, pageText, prepareDecoder, read } from '../../test/support/pdf-read';

beforeAll(prepareDecoder);

/** GS1's own example: extension 1, company prefix 0614141, serial reference 123456789. */
const SSCC = '106141411234567897';

const slip = (overrides: Partial<PackingSlip> = {}): PackingSlip => ({
  ownerName: 'Zoë Ø Outdoor GmbH',
  orderNumber: '#1001-A',
  orderDate: '2026-12-07',
  shipTo: { name: 'Jürgen Weiß', company: 'Café Köln', lines: ['Domkloster 4', '50667 Köln', 'Germany'] },
  shippingMethod: 'DHL Paket',
  lines: [
    { sku: 'TENT-2P', name: 'Two-person tent, green', ordered: 2, packed: 2, lot: 'L2026-11' },
    { sku: 'STOVE-1', name: 'Camping stove', ordered: 1, packed: 0, lot: null },
  ],
  cartonCount: 2,
  ...overrides,
});

const label = (overrides: Partial<CartonLabel> = {}): CartonLabel => ({
  ownerName: 'Zoë Ø Outdoor GmbH',
  orderNumber: '#1001-A',
  shipTo: { name: 'Jürgen Weiß', company: null, lines: ['Domkloster 4', '50667 Köln', 'Germany'] },
  cartonNumber: 1,
  cartonCount: 3,
  weightKg: 4.25,
  contents: [
    { sku: 'TENT-2P', qty: 2 },
    { sku: 'STOVE-1', qty: 1 },
  ],
  sscc: SSCC,
  ...overrides,
});

/** What a scanner hands the app for a read: the AIM identifier, then the data. */
const scanned = (r: ReadResult) => `${r.symbologyIdentifier}${r.text}`;

describe('ssccFor', () => {
  it('makes the GS1 example SSCC', () => {
    expect(ssccFor('0614141', 1, 123456789)).toBe(SSCC);
    expect(ssccFor('0614141', 1, 123456789n)).toBe(SSCC);
  });

  it('pads the serial to the digits the prefix leaves and reads back as AI (00)', () => {
    const sscc = ssccFor('4006381333', 0, 42);
    expect(sscc).toMatch(/^04006381333000042\d$/);
    expect(parseGs1(`(00)${sscc}`)).toMatchObject({ ok: true, sscc });
  });

  it.each([
    ['a prefix with letters', () => ssccFor('06141A1', 1, 1)],
    ['a prefix too short', () => ssccFor('061', 1, 1)],
    ['an extension of two digits', () => ssccFor('0614141', 10, 1)],
    ['a negative serial', () => ssccFor('0614141', 1, -1)],
    ['a serial too long for the prefix', () => ssccFor('0614141', 1, 1_000_000_000)],
    ['a fractional serial', () => ssccFor('0614141', 1, 1.5)],
  ])('refuses %s', (_name, make) => {
    expect(make).toThrow(RangeError);
  });
});

describe('text a standard font can draw', () => {
  it('keeps Latin-1 and replaces each character it cannot encode with one visible "?"', async () => {
    const font = await (await PDFDocument.create()).embedFont('Helvetica');
    expect(drawable(font, 'Zoë Ø, Köln € 5')).toBe('Zoë Ø, Köln € 5');
    expect(drawable(font, '李中文 😀 👍🏽 Zoë')).toBe('??? ? ? Zoë');
    expect(drawable(font, 'Zoe\u0308\tline\nbreak')).toBe('Zoë line break');
  });

  it('wraps to at most the lines asked for, the rest run on into the last and cut with an ellipsis', async () => {
    const font = await (await PDFDocument.create()).embedFont('Helvetica');
    const width = font.widthOfTextAtSize('Hohenzollern-Sigma', 12);
    expect(wrapped(font, 'Hohenzollern-Sigmaringen', 12, width, 2)).toEqual(['Hohenzollern-', 'Sigmaringen']);
    const [cut, ...rest] = wrapped(font, 'Hohenzollern-Sigmaringen', 12, width, 1);
    expect(rest).toEqual([]);
    expect(cut).toMatch(/^Hohenzollern-Sigm?…$/);
    expect(wrapped(font, ' \n ', 12, width, 2)).toEqual([]);
  });
});

describe('packingSlipPdf', () => {
  it('is one A4 page with the order, owner, address and lines in its text', async () => {
    const pdf = await PDFDocument.load(await packingSlipPdf(slip()));
    expect(pdf.getPageCount()).toBe(1);
    const page = pdf.getPage(0);
    expect(page.getSize()).toEqual({ width: 595.28, height: 841.89 });
    const text = pageText(page);
    for (const expected of ['#1001-A', 'Zoë Ø Outdoor GmbH', 'Jürgen Weiß', 'Café Köln', '50667 Köln', '2026-12-07', 'DHL Paket', 'TENT-2P', 'L2026-11', 'Page 1 of 1']) {
      expect(text).toContain(expected);
    }
    expect(pdf.getTitle()).toBe('Packing slip #1001-A');
  });

  it('prints the order number as Code 128 that decodes back to it', async () => {
    const pdf = await PDFDocument.load(await packingSlipPdf(slip()));
    const [image] = images(pdf);
    const reads = await read(image!);
    expect(reads.map((r) => [r.symbologyIdentifier, r.text])).toEqual([[']C0', '#1001-A']]);
  });

  it('takes US Letter', async () => {
    const pdf = await PDFDocument.load(await packingSlipPdf(slip({ pageSize: 'Letter' })));
    expect(pdf.getPage(0).getSize()).toEqual({ width: 612, height: 792 });
  });

  it('refuses no name: characters the font lacks print as "?"', async () => {
    const pdf = await PDFDocument.load(await packingSlipPdf(slip({
      ownerName: '中文 Trading 😀',
      shipTo: { name: '王小明 🎉', lines: ['北京市', 'China'] },
      lines: [{ sku: 'MUG-🙂', name: '杯子 mug', ordered: 1, packed: 1 }],
    })));
    const text = pageText(pdf.getPage(0));
    expect(text).toContain('?? Trading ?');
    expect(text).toContain('??? ?');
    expect(text).toContain('MUG-?');
  });

  it('runs long orders over pages, each numbered', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => ({
      sku: `SKU-${String(i).padStart(3, '0')}`,
      name: i % 7 === 0 ? 'A product whose name is long enough to wrap over more than one line of the table, and then some more' : `Product ${i}`,
      ordered: 2,
      packed: 2,
      lot: i % 3 === 0 ? `LOT-${i}` : null,
    }));
    const pdf = await PDFDocument.load(await packingSlipPdf(slip({ lines })));
    const pages = pdf.getPages();
    expect(pages.length).toBeGreaterThan(1);
    const texts = pages.map(pageText);
    texts.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text).toContain('Ordered');
    });
    const all = texts.join('\n');
    for (const line of lines) expect(all).toContain(line.sku);
    expect(texts.at(-1)).toContain('240');
  });

  it('prints an order number Code 128 cannot carry as text only', async () => {
    const pdf = await PDFDocument.load(await packingSlipPdf(slip({ orderNumber: 'Bestellung-Ä1' })));
    expect(images(pdf)).toEqual([]);
    expect(pageText(pdf.getPage(0))).toContain('Bestellung-Ä1');
  });
});

describe('cartonLabelPdf', () => {
  it('is one 4×6 in page with the order, carton, weight and contents', async () => {
    const pdf = await PDFDocument.load(await cartonLabelPdf(label()));
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getPage(0).getSize()).toEqual({ width: 288, height: 432 });
    const text = pageText(pdf.getPage(0));
    for (const expected of ['#1001-A', '1 of 3', '4.25 kg', 'TENT-2P × 2', 'Jürgen Weiß', '50667 Köln', `(00) ${SSCC}`]) {
      expect(text).toContain(expected);
    }
  });

  it('carries the SSCC as GS1-128 that decodes back to AI (00) and the same 18 digits', async () => {
    const pdf = await PDFDocument.load(await cartonLabelPdf(label()));
    const [image] = images(pdf);
    const [result, ...others] = await read(image!);
    expect(others).toEqual([]);
    expect(result!.symbologyIdentifier).toBe(']C1');
    expect(parseGs1(scanned(result!))).toMatchObject({ ok: true, sscc: SSCC, elements: [{ ai: '00', value: SSCC }] });
  });

  it('keeps the postcode, city and country of a long address, joining its first lines', async () => {
    const shipTo = { name: 'Jürgen Weiß', company: 'Café Köln', lines: ['Domkloster 4', 'Hinterhaus', 'c/o Müller', '50667 Köln', 'Germany'] };
    const text = pageText((await PDFDocument.load(await cartonLabelPdf(label({ shipTo })))).getPage(0));
    expect(text).toContain('Café Köln, Domkloster 4');
    expect(text).toContain('50667 Köln\nGermany');
    expect(cartonLabelZpl(label({ shipTo }))).toContain('^FDGermany^FS');
  });

  it('refuses an SSCC with a wrong check digit', async () => {
    await expect(cartonLabelPdf(label({ sscc: '106141411234567890' }))).rejects.toThrow(RangeError);
  });

  it('lists six SKUs and counts the rest', async () => {
    const contents = Array.from({ length: 9 }, (_, i) => ({ sku: `SKU-${i}`, qty: 1 }));
    const text = pageText((await PDFDocument.load(await cartonLabelPdf(label({ contents })))).getPage(0));
    expect(text).toContain('SKU-5 × 1');
    expect(text).not.toContain('SKU-6');
    expect(text).toContain('+ 3 more SKUs');
    expect(text).toContain('9 units');
  });
});

describe('cartonLabelZpl', () => {
  /** Field data of every ^FD…^FS. */
  const fields = (zpl: string) => [...zpl.matchAll(/\^FD(.*?)\^FS/g)].map((m) => m[1]!);

  it('is one 4×6 in label at 203 dpi in UTF-8, the SSCC as ^BC GS1-128', () => {
    const zpl = cartonLabelZpl(label());
    expect(zpl.startsWith('^XA\n^CI28\n^PW812\n^LL1218\n')).toBe(true);
    expect(zpl.trimEnd().endsWith('^XZ')).toBe(true);
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl.match(/\^XZ/g)).toHaveLength(1);
    expect(zpl).toMatch(new RegExp(`\\^BY4\\^BCN,256,N,N,N\\^FD>;>800${SSCC}\\^FS`));
    // Every text field is ^FH-escaped.
    for (const line of zpl.split('\n').filter((l) => l.includes('^FD') && !l.includes('^BC'))) expect(line).toContain('^FH^FD');
    expect(fields(zpl)).toEqual(expect.arrayContaining(['#1001-A', '1 of 3', 'Weight 4.25 kg', 'TENT-2P x 2', `(00) ${SSCC}`, 'J_C3_BCrgen Wei_C3_9F']));
  });

  it('escapes "^" and "~" in a customer name so it cannot end the label or run a command', () => {
    const zpl = cartonLabelZpl(label({ shipTo: { name: 'Ann ^XZ~JA_\\ Zoë', lines: ['^FO0,0~DGR:X', 'Line\nbreak'] } }));
    expect(zpl.match(/\^XZ/g)).toHaveLength(1);
    expect(zpl).not.toContain('~');
    expect(/^[\x20-\x7e\n]*$/.test(zpl)).toBe(true);
    expect(fields(zpl)).toEqual(expect.arrayContaining(['Ann _5EXZ_7EJA_5F_5C Zo_C3_AB', '_5EFO0,0_7EDGR:X', 'Line break']));
    for (const data of fields(zpl)) expect(data).not.toMatch(/[\^~]/);
  });

  it('escapes every byte outside printable ASCII, whatever the script', () => {
    expect(zplFieldData('中')).toBe('_E4_B8_AD');
    expect(zplFieldData('😀')).toBe('_F0_9F_98_80');
    expect(zplFieldData('a_b')).toBe('a_5Fb');
  });

  it('sends the printer data that, encoded as ^BC encodes it, decodes to the SSCC', async () => {
    const sscc = ssccFor('4006381333', 3, 987654);
    const data = /\^BC[^^]*\^FD(.*?)\^FS/.exec(cartonLabelZpl(label({ sscc })))![1]!;
    // ^BC invocation codes: ">;" starts subset C, ">8" is FNC1; bwip-js takes FNC1 as "^FNC1".
    expect(data.startsWith('>;>8')).toBe(true);
    const text = data.replace('>;', '').replace(/>8/g, '^FNC1');
    const png = await bwipjs.toBuffer({ bcid: 'code128', text, parsefnc: true, scale: 3, height: 10, paddingwidth: 10, backgroundcolor: 'FFFFFF' });
    const [result] = await read(png);
    expect(result?.symbologyIdentifier).toBe(']C1');
    expect(parseGs1(scanned(result!))).toMatchObject({ ok: true, sscc });
  });
});
