// What the decode worker does with each frame, away from its message plumbing: read the region of
// interest (downscaled on fast passes), decode with the chosen engine (a harder pass every few
// frames), drop 1D reads with a bad check digit, and report each code once while it stays in view.
import { acceptedResults } from './accept';
import type { DecodeResult, Decoder, EngineName, WarehouseFormat } from './decoder';
import { createDeduper } from './dedupe';
import type { Deduper } from './dedupe';
import { mapCorners } from './frame-image';
import type { FramePixels, Rect } from './frame-image';

/** Every Nth decoded frame is a harder pass (rotations, inverted codes, full resolution). */
export const HARD_PASS_EVERY = 8;

/** Longest side, in pixels, of the region a fast pass decodes: 1D codes still have ≥2 px per module. */
export const FAST_MAX_SIDE = 960;

/** Longest side of the region the harder pass decodes. */
export const HARD_MAX_SIDE = 1920;

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
  readPixels(image: ImageBitmap | ImageData, roi: Rect | null, maxSide: number): Promise<FramePixels>;
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
      const pixels = await readPixels(image, roi, hard ? HARD_MAX_SIDE : FAST_MAX_SIDE);
      const found = acceptedResults(await decoder.decode(pixels.image, { tryHarder: hard, formats }));
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
