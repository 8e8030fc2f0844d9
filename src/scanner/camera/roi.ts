// The region of interest: where in the picture the decoder looks. A wide band suits 1D codes held
// level; a square suits 2D codes. The overlay draws the same rectangle the worker searches.
import { LINEAR_FORMATS, WAREHOUSE_FORMATS } from './decode/decoder';
import type { WarehouseFormat } from './decode/decoder';
import type { Rect } from './decode/frame-image';

export type RoiShape = 'linear' | 'matrix';

/** Share of the frame's width the 1D band covers. */
export const LINEAR_BAND_WIDTH = 0.9;

/** Share of the frame's height the 1D band covers: room for a tilted code, little else. */
export const LINEAR_BAND_HEIGHT = 0.4;

/** Side of the 2D square as a share of the frame's shorter side. */
export const MATRIX_SQUARE_SIDE = 0.7;

/** The region of a `width`×`height` frame searched for `shape`, centred. */
export function roiFor(shape: RoiShape, width: number, height: number): Rect {
  const w = shape === 'linear' ? width * LINEAR_BAND_WIDTH : Math.min(width, height) * MATRIX_SQUARE_SIDE;
  const h = shape === 'linear' ? height * LINEAR_BAND_HEIGHT : w;
  return { x: Math.round((width - w) / 2), y: Math.round((height - h) / 2), width: Math.round(w), height: Math.round(h) };
}

/**
 * The formats searched in each shape. The band looks for every format (a small DataMatrix fits in
 * it); the square drops 1D codes, which rarely fit it whole.
 */
export function formatsFor(shape: RoiShape): readonly WarehouseFormat[] {
  return shape === 'linear' ? WAREHOUSE_FORMATS : WAREHOUSE_FORMATS.filter((format) => !LINEAR_FORMATS.includes(format));
}
