import { describe, expect, it, vi } from 'vitest';
import type { DecodeResult, Decoder, EngineName } from './decoder';
import { WAREHOUSE_FORMATS } from './decoder';
import { createDeduper } from './dedupe';
import type { FramePixels } from './frame-image';
import { createDecodeSession, FAST_MAX_SIDE, HARD_ENLARGE, HARD_MAX_SIDE } from './session';

const image = { width: 100, height: 50, data: new Uint8ClampedArray(100 * 50 * 4) } as unknown as ImageData;

function fakeDecoder(name: EngineName, frames: DecodeResult[][]): Decoder & { calls: boolean[] } {
  const calls: boolean[] = [];
  return {
    name,
    calls,
    ready: () => Promise.resolve(),
    decode: (_image, opts) => {
      calls.push(opts.tryHarder);
      return Promise.resolve(frames.shift() ?? []);
    },
  };
}

/** Pixels as read from a region at (10, 20) scaled by one half. */
const readPixels = (): Promise<FramePixels> =>
  Promise.resolve({ image, toFrame: ({ x, y }) => ({ x: 10 + x * 2, y: 20 + y * 2 }) });

const frame = { image, roi: null, formats: WAREHOUSE_FORMATS, engine: 'zxing-wasm' } as const;
const ean = { text: '5901234123457', format: 'ean-13', symbologyIdentifier: ']E0' } as const;

describe('createDecodeSession', () => {
  it('reports a code once, drops a bad check digit, and maps positions to the frame', async () => {
    const position = [{ x: 1, y: 1 }, { x: 5, y: 1 }, { x: 5, y: 3 }, { x: 1, y: 3 }] as const;
    const decoder = fakeDecoder('zxing-wasm', [
      [{ ...ean, position }, { ...ean, text: '5901234123458' }],
      [ean],
    ]);
    const session = createDecodeSession({ loadDecoder: () => Promise.resolve(decoder), readPixels, deduper: createDeduper({ now: () => 0 }) });
    const first = await session.frame(frame);
    expect(first.results).toEqual([{ ...ean, position: [{ x: 12, y: 22 }, { x: 20, y: 22 }, { x: 20, y: 26 }, { x: 12, y: 26 }] }]);
    expect((await session.frame(frame)).results).toEqual([]);
  });

  it('makes every Nth frame a harder pass', async () => {
    const decoder = fakeDecoder('zxing-wasm', []);
    const session = createDecodeSession({ loadDecoder: () => Promise.resolve(decoder), readPixels, hardPassEvery: 3 });
    for (let i = 0; i < 6; i++) await session.frame(frame);
    // Each harder pass finds nothing in the small frame, so it decodes it enlarged as well.
    expect(decoder.calls).toEqual([false, false, true, true, false, false, true, true]);
  });

  it('has a harder pass that found nothing try the region enlarged, and reports what that reads', async () => {
    const decoder = fakeDecoder('zxing-wasm', [[], [], [ean]]);
    const reads: { maxSide: number; enlarge: number | undefined }[] = [];
    const recording = (_image: unknown, _roi: unknown, maxSide: number, enlarge?: number) => {
      reads.push({ maxSide, enlarge });
      return readPixels();
    };
    const session = createDecodeSession({ loadDecoder: () => Promise.resolve(decoder), readPixels: recording, hardPassEvery: 2 });
    expect((await session.frame(frame)).results).toEqual([]);
    const hard = await session.frame(frame);
    expect(hard.results).toEqual([ean]);
    expect(decoder.calls).toEqual([false, true, true]);
    expect(reads).toEqual([
      { maxSide: FAST_MAX_SIDE, enlarge: undefined },
      { maxSide: HARD_MAX_SIDE, enlarge: undefined },
      { maxSide: HARD_MAX_SIDE, enlarge: HARD_ENLARGE },
    ]);
  });

  it("does not enlarge a region already at the harder pass's largest size, or after a read", async () => {
    const large = { ...image, width: HARD_MAX_SIDE, height: 600 } as ImageData;
    const decoder = fakeDecoder('zxing-wasm', [[], [ean]]);
    const session = createDecodeSession({ loadDecoder: () => Promise.resolve(decoder), readPixels, hardPassEvery: 1 });
    await session.frame({ ...frame, image: large });
    await session.frame(frame);
    expect(decoder.calls).toEqual([true, true]);
  });

  it('falls back to zxing-js when the asked-for engine cannot load', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fallback = fakeDecoder('zxing-js', [[ean]]);
    const loadDecoder = (name: EngineName) => (name === 'zxing-js' ? Promise.resolve(fallback) : Promise.reject(new Error('no wasm')));
    const session = createDecodeSession({ loadDecoder, readPixels });
    const result = await session.frame(frame);
    expect(result.engine).toBe('zxing-js');
    expect(result.results).toEqual([ean]);
    warn.mockRestore();
  });
});
