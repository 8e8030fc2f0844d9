// The one shape every barcode engine has (zxing-cpp in WebAssembly, the browser's BarcodeDetector,
// zxing-js): the decode worker picks one and feeds it frames. Compiled for both the page and the
// worker, so it uses nothing either runtime lacks.

/** The symbologies found on a 3PL floor; every engine is asked for these and no others. */
export const WAREHOUSE_FORMATS = [
  'ean-13',
  'ean-8',
  'upc-a',
  'upc-e',
  /** Code 128, GS1-128 included (told apart by its `]C1` symbology identifier). */
  'code-128',
  'code-39',
  /** Interleaved 2 of 5, ITF-14 included. */
  'itf',
  /** GS1 DataBar Omnidirectional, Stacked and Limited. */
  'databar',
  /** GS1 DataBar Expanded (and Expanded Stacked). */
  'databar-expanded',
  'datamatrix',
  'qr',
  'pdf417',
] as const;

export type WarehouseFormat = (typeof WAREHOUSE_FORMATS)[number];

/** The linear symbologies: the wide region of interest is for these. */
export const LINEAR_FORMATS: readonly WarehouseFormat[] = [
  'ean-13',
  'ean-8',
  'upc-a',
  'upc-e',
  'code-128',
  'code-39',
  'itf',
  'databar',
  'databar-expanded',
];

export type EngineName = 'zxing-wasm' | 'native' | 'zxing-js';

export interface Point {
  x: number;
  y: number;
}

/** The symbol's corners in the image's pixel coordinates, clockwise from top left. */
export type Corners = readonly [Point, Point, Point, Point];

export interface DecodeResult {
  /** The barcode's data, GS1 group separators kept as \x1d and no AIM prefix. */
  text: string;
  format: WarehouseFormat;
  /** The AIM symbology identifier (`]C1`, `]E0`, `]d2`…), or null when the engine cannot tell. */
  symbologyIdentifier: string | null;
  /** The raw bytes, where the engine gives them. */
  bytes?: Uint8Array;
  position?: Corners;
}

export interface DecodeOptions {
  /** Spend longer on the frame (rotations, inverted codes, finer search): the periodic harder pass. */
  tryHarder: boolean;
  /**
   * The image is a region enlarged for a second look (session.ts, HARD_ENLARGE): an engine skips
   * its own downscaled retries, which would only undo the enlargement (and, on a worn UPC-A, can
   * find a phantom code starting inside the real one).
   */
  enlarged?: boolean;
  formats: readonly WarehouseFormat[];
}

export interface Decoder {
  readonly name: EngineName;
  /** Loads what the engine needs (the .wasm, the detector); rejects when the engine is unavailable here. */
  ready(): Promise<void>;
  /** Every warehouse barcode the engine finds in `image`; an empty list when there is none. */
  decode(image: ImageData | ImageBitmap, opts: DecodeOptions): Promise<DecodeResult[]>;
}
