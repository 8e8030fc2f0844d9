// What the decode worker does with each frame, away from its message plumbing: read the region of
// interest (downscaled on fast passes), decode with the chosen engine (a harder pass every few
// frames, which also tries the region enlarged), drop 1D reads with a bad check digit, and report
// each code once while it stays in view.
import { acceptedResults } from './accept';
import type { DecodeResult, Decoder, EngineName, WarehouseFormat } from './decoder';
import { createDeduper } from './dedupe';
import type { Deduper } from './dedupe';
import { clampRect, mapCorners, scaleFor } from './frame-image';
import type { FramePixels, Rect } from './frame-image';

/** Every Nth decoded frame is a harder pass (rotations, inverted codes, full resolution). */
export const HARD_PASS_EVERY = 8;

/** Longest side, in pixels, of the region a fast pass decodes: 1D codes still have ≥2 px per module. */
export const FAST_MAX_SIDE = 960;

/** Longest side of the region the harder pass decodes. */
export const HARD_MAX_SIDE = 1920;

/**
 * When the harder pass finds nothing, it decodes the region again enlarged this many times (up to
 * HARD_MAX_SIDE). A small or distant code has one or two pixels per bar, and the decoder places bar
 * edges on whole pixels; smoothed up, the edges fall between them and a worn UPC-A that reads wrong
 * or not at all at its own size reads right, with more scan lines agreeing.
 */
export const HARD_ENLARGE = 2;

export interface SessionFrame {
  image: ImageBitmap | ImageData;
  roi: Rect | null;
  formats: readonly WarehouseFormat[];
  engine: EngineName;
}

export interface SessionResult {
  results: DecodeResult[];
  engine: EngineName;
  hard: boolean;
}

export interface DecodeSessionDeps {
  /** Creates (and readies) an engine; rejects when it is not available here. */
  loadDecoder(name: EngineName): Promise<Decoder>;
  /** The region's pixels, longer side at most `maxSide`; enlarged up to `enlarge` times when smaller. */
  readPixels(image: ImageBitmap | ImageData, roi: Rect | null, maxSide: number, enlarge?: number): Promise<FramePixels>;
  deduper?: Deduper;
  hardPassEvery?: number;
}

/** The engine tried when the asked-for one cannot load: pure JavaScript, always there. */
const FALLBACK_ENGINE: EngineName = 'zxing-js';

export function dedupeKey(result: Pick<DecodeResult, 'format' | 'text'>): string {
  return `${result.format}\u0000${result.text}`;
}

export function createDecodeSession(deps: DecodeSessionDeps) {
  const { loadDecoder, readPixels, deduper = createDeduper(), hardPassEvery = HARD_PASS_EVERY } = deps;
  const decoders = new Map<EngineName, Promise<Decoder>>();
  let frameCount = 0;

  function decoderFor(name: EngineName): Promise<Decoder> {
    let decoder = decoders.get(name);
    if (!decoder) {
      decoder = loadDecoder(name).catch((error: unknown) => {
        if (name === FALLBACK_ENGINE) throw error;
        console.warn(`Barcode engine ${name} is unavailable; using ${FALLBACK_ENGINE}`, error);
        return decoderFor(FALLBACK_ENGINE);
      });
      decoders.set(name, decoder);
    }
    return decoder;
  }

  return {
    async frame({ image, roi, formats, engine }: SessionFrame): Promise<SessionResult> {
      const decoder = await decoderFor(engine);
      frameCount += 1;
      const hard = frameCount % hardPassEvery === 0;
      let pixels = await readPixels(image, roi, hard ? HARD_MAX_SIDE : FAST_MAX_SIDE);
      let found = acceptedResults(await decoder.decode(pixels.image, { tryHarder: hard, formats }));
      if (hard && found.length === 0 && scaleFor(clampRect(roi, image.width, image.height), HARD_MAX_SIDE, HARD_ENLARGE) > 1) {
        pixels = await readPixels(image, roi, HARD_MAX_SIDE, HARD_ENLARGE);
        found = acceptedResults(await decoder.decode(pixels.image, { tryHarder: true, enlarged: true, formats }));
      }
      const byKey = new Map(found.map((result) => [dedupeKey(result), result]));
      const fresh = deduper.frame([...byKey.keys()]).map((key) => byKey.get(key)!);
      const results = fresh.map((result) =>
        result.position ? { ...result, position: mapCorners(result.position, pixels.toFrame) } : result,
      );
      return { results, engine: decoder.name, hard };
    },
    reset(): void {
      deduper.reset();
    },
  };
}
