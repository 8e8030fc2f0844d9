// Turns a camera frame (a transferred ImageBitmap, or ImageData) into the pixels an engine reads:
// the region of interest only, optionally scaled down, with a map back to frame coordinates.
import type { Corners, Point } from './decoder';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FramePixels {
  image: ImageData;
  /** Maps a point in `image` back to the frame it was cut from. */
  toFrame(point: Point): Point;
}

/** Clamps `roi` to a `width`×`height` frame; null (or an empty ROI) means the whole frame. */
export function clampRect(roi: Rect | null, width: number, height: number): Rect {
  if (!roi) return { x: 0, y: 0, width, height };
  const x = Math.max(0, Math.min(width - 1, Math.round(roi.x)));
  const y = Math.max(0, Math.min(height - 1, Math.round(roi.y)));
  const w = Math.max(1, Math.min(width - x, Math.round(roi.width)));
  const h = Math.max(1, Math.min(height - y, Math.round(roi.height)));
  return { x, y, width: w, height: h };
}

/**
 * The scale for reading `rect`: `enlarge` (1: as it is), but never past a longer side of
 * `maxSide`, which also brings a larger region down.
 */
export function scaleFor(rect: Rect, maxSide: number, enlarge = 1): number {
  return Math.min(enlarge, maxSide / Math.max(rect.width, rect.height));
}

export function mapCorners(corners: Corners, toFrame: (point: Point) => Point): Corners {
  return [toFrame(corners[0]), toFrame(corners[1]), toFrame(corners[2]), toFrame(corners[3])];
}

/** ImageData by shape: Node (tests) has no ImageData class, and a bitmap has no pixels to hand. */
export function isImageData(image: ImageData | ImageBitmap): image is ImageData {
  return 'data' in image;
}

/** A reader that reuses one OffscreenCanvas for every frame. */
export function createFrameReader() {
  let canvas: OffscreenCanvas | null = null;
  let context: OffscreenCanvasRenderingContext2D | null = null;

  function contextOf(width: number, height: number): OffscreenCanvasRenderingContext2D {
    if (!canvas || !context) {
      canvas = new OffscreenCanvas(width, height);
      context = canvas.getContext('2d', { willReadFrequently: true });
      if (!context) throw new Error('No 2D canvas context for decoding');
    } else if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    return context;
  }

  return {
    /**
     * The pixels of `roi` within `frame`, scaled so the longer side is at most `maxSide`; with
     * `enlarge` > 1 a smaller region is enlarged (smoothed) by up to that factor.
     */
    async read(frame: ImageBitmap | ImageData, roi: Rect | null, maxSide: number, enlarge = 1): Promise<FramePixels> {
      const rect = clampRect(roi, frame.width, frame.height);
      const scale = scaleFor(rect, maxSide, enlarge);
      const toFrame = ({ x, y }: Point): Point => ({ x: rect.x + x / scale, y: rect.y + y / scale });
      if (isImageData(frame) && scale === 1 && rect.width === frame.width && rect.height === frame.height) {
        return { image: frame, toFrame };
      }
      const source = isImageData(frame) ? await createImageBitmap(frame) : frame;
      const width = Math.max(1, Math.round(rect.width * scale));
      const height = Math.max(1, Math.round(rect.height * scale));
      const ctx = contextOf(width, height);
      ctx.drawImage(source, rect.x, rect.y, rect.width, rect.height, 0, 0, width, height);
      if (source !== frame) source.close();
      return { image: ctx.getImageData(0, 0, width, height), toFrame };
    },
  };
}

/** The whole of `image` as ImageData, for engines that only read pixels. */
export async function toImageData(image: ImageData | ImageBitmap): Promise<ImageData> {
  if (isImageData(image)) return image;
  return (await createFrameReader().read(image, null, Number.POSITIVE_INFINITY)).image;
}

/** Grey levels of RGBA pixels (ITU-R BT.601 weights), one byte per pixel. */
export function luminances(image: Pick<ImageData, 'data' | 'width' | 'height'>): Uint8ClampedArray {
  const { data } = image;
  const out = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0, p = 0; p < out.length; i += 4, p++) {
    out[p] = (306 * data[i]! + 601 * data[i + 1]! + 117 * data[i + 2]! + 512) >> 10;
  }
  return out;
}
