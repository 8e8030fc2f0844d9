// The default engine: zxing-cpp compiled to WebAssembly. It reads UPC-E, rotated 1D and
// DataMatrix that zxing-js misses. Its .wasm is bundled by Vite (and precached by the service
// worker): it is never fetched from the CDN the package would otherwise use.
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { ReadResult, ReaderOptions, ZXingModuleOverrides } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { Corners, DecodeOptions, DecodeResult, Decoder, WarehouseFormat } from './decoder';
import { toImageData } from './frame-image';

type ReadFormat = NonNullable<ReaderOptions['formats']>[number];

const READ_FORMATS: Record<WarehouseFormat, readonly ReadFormat[]> = {
  'ean-13': ['EAN13'],
  'ean-8': ['EAN8'],
  'upc-a': ['UPCA'],
  'upc-e': ['UPCE'],
  'code-128': ['Code128'],
  'code-39': ['Code39'],
  itf: ['ITF'],
  databar: ['DataBarOmni', 'DataBarStk', 'DataBarStkOmni', 'DataBarLtd'],
  'databar-expanded': ['DataBarExp', 'DataBarExpStk'],
  datamatrix: ['DataMatrix'],
  qr: ['QRCode'],
  pdf417: ['PDF417'],
};

/** zxing-cpp's output format names (variants included) mapped back to ours; anything else is dropped. */
const FROM_ZXING: Partial<Record<string, WarehouseFormat>> = {
  EAN13: 'ean-13',
  ISBN: 'ean-13',
  EAN8: 'ean-8',
  UPCA: 'upc-a',
  UPCE: 'upc-e',
  Code128: 'code-128',
  Code39: 'code-39',
  Code39Std: 'code-39',
  Code39Ext: 'code-39',
  // Pharma variants of Code 39 (Italian Code 32, German PZN) arrive under their own names.
  Code32: 'code-39',
  PZN: 'code-39',
  ITF: 'itf',
  ITF14: 'itf',
  DataBar: 'databar',
  DataBarOmni: 'databar',
  DataBarStk: 'databar',
  DataBarStkOmni: 'databar',
  DataBarLtd: 'databar',
  DataBarExp: 'databar-expanded',
  DataBarExpStk: 'databar-expanded',
  DataMatrix: 'datamatrix',
  QRCode: 'qr',
  QRCodeModel2: 'qr',
  PDF417: 'pdf417',
  CompactPDF417: 'pdf417',
};

/**
 * Scan lines of a 1D code that must agree before a read counts (zxing-cpp's default is 2). On worn
 * UPC labels two lines can agree on a wrong value whose check digit happens to be valid; a third
 * costs little on a camera frame, where a real read repeats over many lines. The harder pass, which
 * looks longer at poorer images, asks for one more.
 */
const MIN_LINE_COUNT = 3;

/** Most frames: no rotations, no inverted search, no extra downscaled pass (the worker already downscales). */
const FAST: ReaderOptions = { tryHarder: false, tryRotate: false, tryInvert: false, tryDownscale: false, minLineCount: MIN_LINE_COUNT };

/** The periodic harder pass: rotated and inverted codes, downscaled retries, finer search. */
const HARD: ReaderOptions = { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true, minLineCount: MIN_LINE_COUNT + 1 };

/** The harder pass over an enlarged region: as HARD, without downscaled retries. */
const HARD_ENLARGED: ReaderOptions = { ...HARD, tryDownscale: false };

/** Serves the bundled .wasm instead of the package's default CDN URL. */
const SELF_HOSTED: ZXingModuleOverrides = {
  locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
};

export function readFormats(formats: readonly WarehouseFormat[]): ReadFormat[] {
  return formats.flatMap((format) => READ_FORMATS[format]);
}

function toResult(read: ReadResult): DecodeResult | null {
  const format = FROM_ZXING[read.format];
  if (!format || !read.isValid) return null;
  const { topLeft, topRight, bottomRight, bottomLeft } = read.position;
  const position: Corners = [topLeft, topRight, bottomRight, bottomLeft];
  return {
    text: read.text,
    format,
    symbologyIdentifier: read.symbologyIdentifier || null,
    bytes: read.bytes,
    position,
  };
}

/**
 * @param overrides Emscripten module overrides; tests in Node pass `{ wasmBinary }`. The default
 *   locates the .wasm Vite bundled.
 */
export function createZxingWasmDecoder(overrides: ZXingModuleOverrides = SELF_HOSTED): Decoder {
  let loading: Promise<void> | null = null;
  return {
    name: 'zxing-wasm',
    ready() {
      loading ??= prepareZXingModule({ overrides, fireImmediately: true }).then(() => undefined);
      return loading;
    },
    async decode(image, opts: DecodeOptions) {
      await this.ready();
      const reads = await readBarcodes(await toImageData(image), {
        ...(opts.tryHarder ? (opts.enlarged ? HARD_ENLARGED : HARD) : FAST),
        formats: readFormats(opts.formats),
        // Plain keeps the GS1 group separators (\x1d) and adds no brackets; the symbology
        // identifier says whether the data is GS1.
        textMode: 'Plain',
        eanAddOnSymbol: 'Ignore',
        maxNumberOfSymbols: 4,
      });
      return reads.map(toResult).filter((result): result is DecodeResult => result !== null);
    },
  };
}
