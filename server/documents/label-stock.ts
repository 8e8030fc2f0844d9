// Where labels sit on each stock (src/domain/label-sheets `LabelStock`), in millimetres from the
// page's top-left corner, and how a Code 128 barcode's narrow bar is sized to fit one label.
import type { LabelStock } from '../../src/domain/label-sheets';

export interface StockLayout {
  /** Page width and height: a sheet, or one label of a roll. */
  pageMm: [number, number];
  labelMm: [number, number];
  columns: number;
  rows: number;
  /** The first label's top-left corner. */
  originMm: [number, number];
  /** From one label's corner to the next one's, across and down. */
  pitchMm: [number, number];
  /** Kept clear inside each label's edge: a sheet in a laser printer lands within about a millimetre. */
  paddingMm: number;
  /** The widest narrow bar worth printing here; wider only makes the symbol longer. */
  maxModuleMm: number;
}

const INCH = 25.4;

export const STOCK_LAYOUTS: Readonly<Record<LabelStock, StockLayout>> = {
  // Avery L7160 and its equivalents: 3 × 7 labels of 63.5 × 38.1 mm on A4.
  'a4-21': { pageMm: [210, 297], labelMm: [63.5, 38.1], columns: 3, rows: 7, originMm: [7.25, 15.15], pitchMm: [66.04, 38.1], paddingMm: 2, maxModuleMm: 0.4 },
  // Avery 5160 and its equivalents: 3 × 10 labels of 2⅝ × 1 in on US Letter.
  'letter-30': { pageMm: [8.5 * INCH, 11 * INCH], labelMm: [2.625 * INCH, INCH], columns: 3, rows: 10, originMm: [0.1875 * INCH, 0.5 * INCH], pitchMm: [2.75 * INCH, INCH], paddingMm: 1.5, maxModuleMm: 0.33 },
  'thermal-4x6': { pageMm: [4 * INCH, 6 * INCH], labelMm: [4 * INCH, 6 * INCH], columns: 1, rows: 1, originMm: [0, 0], pitchMm: [0, 0], paddingMm: 4, maxModuleMm: 0.5 },
  'thermal-2x1': { pageMm: [2 * INCH, INCH], labelMm: [2 * INCH, INCH], columns: 1, rows: 1, originMm: [0, 0], pitchMm: [0, 0], paddingMm: 1.5, maxModuleMm: 0.33 },
};

/** How a label's parts are sized, the same in PDF and ZPL. Type sizes in points (1/72 in). */
export const LABEL_TYPE = {
  /** The code's type size per millimetre of label height: a 38 mm label gets 21 pt, readable from the aisle. */
  codePtPerMm: 0.55,
  /** The code's type size at most (a 4 × 6 in label). */
  maxCodePt: 60,
  /** The detail line's size; printed on labels at least `detailMinLabelMm` tall. */
  detailPt: 7,
  detailMinLabelMm: 30,
  /** Bars taller than this only cost ink: an imager reads one line across them. */
  maxBarMm: 40,
  /** Space between the type and the bars. */
  gapMm: 1,
} as const;

/** The narrowest bar printed: 7.5 mil, what a handheld's imager still reads at arm's length. */
export const MIN_MODULE_MM = 0.19;

/** Quiet zone each side of a Code 128 symbol, in modules (the standard's 10). */
export const QUIET_MODULES = 10;

/** One label: the code its barcode carries and its big text shows, and a smaller line under it. */
export interface SheetLabel {
  code: string;
  detail?: string | null;
}

/** A code that cannot be printed as asked; the routes answer it as a 400 naming the code. */
export class UnprintableLabelError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export const notCode128 = (code: string) =>
  new UnprintableLabelError(code, `${JSON.stringify(code)} has characters a Code 128 barcode cannot carry (only printable ASCII): rename it.`);

export const tooLong = (code: string, stock: LabelStock) =>
  new UnprintableLabelError(code, `${code} is too long for a readable barcode on ${stock} labels: choose a wider label stock.`);

/**
 * The narrow bar width for a symbol of `modules` (quiet zones included) on `layout`'s labels: as
 * wide as fits the label's width, at most its `maxModuleMm`, and never narrower than MIN_MODULE_MM.
 * `step` rounds down to what the printer can place (a dot at 203 dpi), 0 for a PDF.
 */
export function moduleWidthMm(layout: StockLayout, modules: number, step = 0): number | null {
  // Quiet zones are white: they may reach into the label's padding, not past its edge.
  const fit = Math.min(layout.maxModuleMm, (layout.labelMm[0] - 2) / modules);
  const width = step > 0 ? Math.floor(fit / step + 1e-9) * step : fit;
  return width >= MIN_MODULE_MM ? width : null;
}

/** Labels per page of `layout`. */
export const labelsPerPage = (layout: StockLayout) => layout.columns * layout.rows;

/** The top-left corner of the `index`-th label of a page, row by row. */
export function labelCornerMm(layout: StockLayout, index: number): [number, number] {
  const column = index % layout.columns;
  const row = Math.floor(index / layout.columns);
  return [layout.originMm[0] + column * layout.pitchMm[0], layout.originMm[1] + row * layout.pitchMm[1]];
}
