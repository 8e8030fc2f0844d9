// The pure-JavaScript fallback: @zxing/library's MultiFormatReader. It reads one code per frame
// and gives no symbology identifier, so one is inferred from the format (and GS1-128's `]C1`).
import {
  BarcodeFormat,
  BinaryBitmap,
  ChecksumException,
  DecodeHintType,
  FormatException,
  HybridBinarizer,
  MultiFormatReader,
  NotFoundException,
  RGBLuminanceSource,
} from '@zxing/library';
import type { Result } from '@zxing/library';
import type { Corners, DecodeOptions, DecodeResult, Decoder, WarehouseFormat } from './decoder';
import { luminances, toImageData } from './frame-image';

const ZXING_FORMATS: Record<WarehouseFormat, BarcodeFormat> = {
  'ean-13': BarcodeFormat.EAN_13,
  'ean-8': BarcodeFormat.EAN_8,
  'upc-a': BarcodeFormat.UPC_A,
  'upc-e': BarcodeFormat.UPC_E,
  'code-128': BarcodeFormat.CODE_128,
  'code-39': BarcodeFormat.CODE_39,
  itf: BarcodeFormat.ITF,
  databar: BarcodeFormat.RSS_14,
  'databar-expanded': BarcodeFormat.RSS_EXPANDED,
  datamatrix: BarcodeFormat.DATA_MATRIX,
  qr: BarcodeFormat.QR_CODE,
  pdf417: BarcodeFormat.PDF_417,
};

const FROM_ZXING = new Map(Object.entries(ZXING_FORMATS).map(([ours, theirs]) => [theirs, ours as WarehouseFormat]));

/** AIM identifiers for what zxing-js cannot tell us (no modifiers: options are unknown). */
const AIM: Record<WarehouseFormat, string> = {
  'ean-13': ']E0',
  'ean-8': ']E4',
  'upc-a': ']E0',
  'upc-e': ']E0',
  'code-128': ']C0',
  'code-39': ']A0',
  itf: ']I0',
  databar: ']e0',
  'databar-expanded': ']e0',
  datamatrix: ']d1',
  qr: ']Q1',
  pdf417: ']L2',
};

const GS1_128_PREFIX = ']C1';

/**
 * First two digits of the GS1 Application Identifiers with a predefined length (GS1 General
 * Specifications, figure 7.8.5-2): no separator follows them.
 */
const PREDEFINED_LENGTH_AI = new Set(['00', '01', '02', '03', '04', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '31', '32', '33', '34', '35', '36', '41']);

/**
 * zxing-js gives DataBar Expanded as bracketed text, "(01)…(10)…": rewritten as the element string
 * a scanner sends, with \x1d after every variable-length field that is not the last.
 */
export function bracketedToElementString(text: string): string {
  const fields = [...text.matchAll(/\((\d{2,4})\)([^(]*)/g)];
  if (fields.length === 0 || fields.map((field) => field[0]).join('') !== text) return text;
  return fields
    .map(([, ai = '', value = ''], index) => {
      const last = index === fields.length - 1;
      return ai + value + (last || PREDEFINED_LENGTH_AI.has(ai.slice(0, 2)) ? '' : '\x1d');
    })
    .join('');
}

function toResult(result: Result): DecodeResult | null {
  const format = FROM_ZXING.get(result.getBarcodeFormat());
  if (!format) return null;
  let text = result.getText();
  let symbologyIdentifier = AIM[format];
  // With ASSUME_GS1 the Code 128 reader marks a leading FNC1 with the identifier itself.
  if (format === 'code-128' && text.startsWith(GS1_128_PREFIX)) {
    text = text.slice(GS1_128_PREFIX.length);
    symbologyIdentifier = GS1_128_PREFIX;
  }
  if (format === 'databar-expanded') text = bracketedToElementString(text);
  // DataBar Omnidirectional and Limited carry AI (01) alone; zxing-js leaves the AI off.
  if (format === 'databar' && /^\d{14}$/.test(text)) text = `01${text}`;
  const points = result.getResultPoints().map((point) => ({ x: point.getX(), y: point.getY() }));
  const [a, b, c, d] = points;
  // 1D readers give the two ends of the scan line: no box to draw.
  const position: Corners | undefined = a && b && c && d ? [a, b, c, d] : undefined;
  const bytes = result.getRawBytes();
  return { text, format, symbologyIdentifier, position, ...(bytes ? { bytes } : {}) };
}

export function createZxingJsDecoder(): Decoder {
  const reader = new MultiFormatReader();
  let hintsKey = '';

  function configure(opts: DecodeOptions): void {
    const key = `${opts.tryHarder}:${opts.formats.join()}`;
    if (key === hintsKey) return;
    const hints = new Map<DecodeHintType, unknown>([
      [DecodeHintType.POSSIBLE_FORMATS, opts.formats.map((format) => ZXING_FORMATS[format])],
      [DecodeHintType.ASSUME_GS1, true],
      [DecodeHintType.TRY_HARDER, opts.tryHarder],
    ]);
    reader.setHints(hints);
    hintsKey = key;
  }

  return {
    name: 'zxing-js',
    ready: () => Promise.resolve(),
    async decode(image, opts) {
      configure(opts);
      const pixels = await toImageData(image);
      const source = new RGBLuminanceSource(luminances(pixels), pixels.width, pixels.height);
      try {
        const result = toResult(reader.decodeWithState(new BinaryBitmap(new HybridBinarizer(source))));
        return result ? [result] : [];
      } catch (error) {
        // Checksum and format errors are misreads of a real code: nothing to report this frame.
        if (error instanceof NotFoundException || error instanceof ChecksumException || error instanceof FormatException) return [];
        throw error;
      } finally {
        // The DataBar readers keep the pairs they found; without a reset a later frame with no
        // code in it can return the previous frame's DataBar.
        reader.reset();
      }
    },
  };
}
