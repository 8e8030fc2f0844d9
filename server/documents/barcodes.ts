// Barcodes for the PDF documents, drawn by bwip-js (Barcode Writer in Pure PostScript) as PNG at a
// whole number of pixels per module, so the PDF can scale them to an exact module width.
import bwipjs from 'bwip-js/node';

/** Pixels per narrow bar in the PNG: enough for a decoder reading the image itself. */
export const PIXELS_PER_MODULE = 3;

/** Quiet zone each side, in modules (GS1 asks for at least 10 on GS1-128). */
const QUIET_ZONE_MODULES = 10;

/** Bar height in the PNG; the PDF stretches it to the printed height, bars being vertical. */
const PNG_BAR_HEIGHT_MM = 10;

export interface BarcodePng {
  png: Buffer;
  /** Width including the quiet zones, in modules: printed width = modules × module width. */
  modules: number;
}

async function render(bcid: string, text: string): Promise<BarcodePng> {
  const png = await bwipjs.toBuffer({
    bcid,
    text,
    scale: PIXELS_PER_MODULE,
    height: PNG_BAR_HEIGHT_MM,
    paddingwidth: QUIET_ZONE_MODULES,
    includetext: false,
    backgroundcolor: 'FFFFFF',
  });
  // IHDR width: bytes 16–19 of every PNG.
  return { png, modules: png.readUInt32BE(16) / PIXELS_PER_MODULE };
}

/** GS1-128 of AI (00): bwip-js verifies the check digit and encodes FNC1 first. */
export function ssccBarcode(sscc: string): Promise<BarcodePng> {
  return render('gs1-128', `(00)${sscc}`);
}

/** True when Code 128 carries `text` as it is: printable ASCII. */
export function isCode128Text(text: string): boolean {
  return /^[\x20-\x7e]{1,80}$/.test(text);
}

/** Code 128 of an order number; check `isCode128Text` first. */
export function code128Barcode(text: string): Promise<BarcodePng> {
  return render('code128', text);
}

/** Modules of the Code 128 symbol of `text`, quiet zones left out: what a printer drawing it itself (ZPL ^BC) needs room for. */
export function code128Modules(text: string): number {
  const [symbol] = bwipjs.raw('code128', text);
  const bars = symbol && 'sbs' in symbol ? symbol.sbs : [];
  return bars.reduce((sum, width) => sum + width, 0);
}
