// "Camera: speed": (a) what one camera frame costs inside the decode worker, per engine, at 640×480
// and 1280×720, with and without a barcode in view, on the fast pass and on the harder pass; (b) how
// long after a barcode appears in front of the (fake) camera it is decoded, for the project's
// pipeline (camera source → decode bridge → workers/decode-worker.ts, zxing-wasm) and for a plain
// @zxing/browser decodeFromVideoDevice loop.
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bwipjs from 'bwip-js/node';
import type { EngineName } from '../src/scanner/camera/decode/decoder';
import { HARD_ENLARGE, HARD_PASS_EVERY } from '../src/scanner/camera/decode/session';
import { decodePng, writeY4m, type RgbaFrame } from '../test/e2e/y4m';
import { benchPage, cameraBrowser, cameraHarness, closeBrowser } from './camera-harness';
import type { CameraBenchApi, CameraOutcome, SpeedOutcome } from './camera-page/main';
import type { Row, SectionResult } from './table';
import { prng } from '../server/seed/large';

const ENGINES: EngineName[] = ['zxing-wasm', 'native', 'zxing-js'];
const SIZES = [
  { width: 640, height: 480 },
  { width: 1280, height: 720 },
] as const;
const FAST_FRAMES = 60;
const HARD_FRAMES = 50;
const WARMUP_FRAMES = 3;

/** The code in view: an EAN-13 as bwip-js renders it (check digit 7 computed by bwip-js). */
const EAN13 = '5901234123457';

/** The fake camera's footage: blank for BLANK_FRAMES, then the code for CODE_FRAMES, looped by Chromium. */
const FPS = 30;
const BLANK_FRAMES = 60;
const CODE_FRAMES = 90;
const PERIOD = BLANK_FRAMES + CODE_FRAMES;
const APPEARANCES = 6;
/** The frame counter burnt into the footage's top-left corner: 8 squares of 16 px, white = 1, least significant first. */
const MARKER_BITS = 8;
const MARKER_BLOCK = 16;

// --- frames -------------------------------------------------------------------------------------


/**
 * A camera frame of brown cardboard: smooth blotches (value noise on a 24 px grid) and per-pixel
 * sensor noise, so the decoder's binarizer meets texture rather than a flat field.
 */
function cardboard(width: number, height: number, seed = 7): RgbaFrame {
  const next = prng(seed);
  const cell = 24;
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = Array.from({ length: gw * gh }, () => next());
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const top = grid[y0 * gw + x0]! * (1 - fx) + grid[y0 * gw + x0 + 1]! * fx;
      const bottom = grid[(y0 + 1) * gw + x0]! * (1 - fx) + grid[(y0 + 1) * gw + x0 + 1]! * fx;
      const shade = 0.8 + 0.3 * (top * (1 - fy) + bottom * fy) + (next() - 0.5) * 0.08;
      const i = (y * width + x) * 4;
      rgba[i] = 176 * shade;
      rgba[i + 1] = 146 * shade;
      rgba[i + 2] = 108 * shade;
      rgba[i + 3] = 255;
    }
  }
  return { width, height, rgba };
}

/** `image` pasted at the centre of a copy of `frame`. */
function paste(frame: RgbaFrame, image: RgbaFrame): RgbaFrame {
  const rgba = new Uint8ClampedArray(frame.rgba);
  const left = Math.floor((frame.width - image.width) / 2);
  const top = Math.floor((frame.height - image.height) / 2);
  for (let row = 0; row < image.height; row++) {
    const y = top + row;
    if (y < 0 || y >= frame.height) continue;
    for (let col = 0; col < image.width; col++) {
      const x = left + col;
      if (x < 0 || x >= frame.width) continue;
      rgba.set(image.rgba.subarray((row * image.width + col) * 4, (row * image.width + col) * 4 + 4), (y * frame.width + x) * 4);
    }
  }
  return { width: frame.width, height: frame.height, rgba };
}

async function renderEan13(): Promise<RgbaFrame> {
  const png = await bwipjs.toBuffer({ bcid: 'ean13', text: EAN13, scale: 3, height: 15, includetext: true, padding: 10, backgroundcolor: 'FFFFFF' });
  return decodePng(png);
}

/**
 * Writes the looped footage: the two frames converted once by test/e2e/y4m.ts's writeY4m, then
 * PERIOD frames copied from them with the frame counter patched into the luma plane (white 235,
 * black 16, neutral chroma, as writeY4m converts pure white and black).
 */
async function writeFootage(dir: string, blank: RgbaFrame, withCode: RgbaFrame): Promise<string> {
  const { width, height } = blank;
  const base = join(dir, 'base.y4m');
  writeY4m(base, [blank, withCode], FPS);
  const bytes = await readFile(base);
  const headerEnd = bytes.indexOf(0x0a) + 1;
  const frameSize = (width * height * 3) / 2;
  const planes = [0, 1].map((n) => bytes.subarray(headerEnd + (n + 1) * 6 + n * frameSize, headerEnd + (n + 1) * 6 + (n + 1) * frameSize));
  const path = join(dir, 'camera.y4m');
  const file = await open(path, 'w');
  try {
    await file.write(bytes.subarray(0, headerEnd));
    const chroma = width * height;
    const chromaSize = (width / 2) * (height / 2);
    for (let index = 0; index < PERIOD; index++) {
      const frame = Buffer.from(planes[index < BLANK_FRAMES ? 0 : 1]!);
      for (let bit = 0; bit < MARKER_BITS; bit++) {
        const luma = (index >> bit) & 1 ? 235 : 16;
        for (let y = 0; y < MARKER_BLOCK; y++) frame.fill(luma, y * width + bit * MARKER_BLOCK, y * width + (bit + 1) * MARKER_BLOCK);
      }
      for (let y = 0; y < MARKER_BLOCK / 2; y++) {
        const from = y * (width / 2);
        const to = from + (MARKER_BITS * MARKER_BLOCK) / 2;
        frame.fill(128, chroma + from, chroma + to);
        frame.fill(128, chroma + chromaSize + from, chroma + chromaSize + to);
      }
      await file.write(Buffer.from('FRAME\n'));
      await file.write(frame);
    }
  } finally {
    await file.close();
  }
  await rm(base);
  return path;
}

// --- statistics ---------------------------------------------------------------------------------

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

const ms = (value: number) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : '–');

interface Appearance {
  /** When the first frame with the code was captured (or presented), ms on the page's clock. */
  at: number;
  decodedAt: number | null;
}

/**
 * Appearances of the code in the observed frames: each step from a blank frame (counter below
 * BLANK_FRAMES) to a code frame. The time is the code frame's capture time (or presentation time
 * when Chromium gives none) less one frame interval for every code frame the observer missed.
 */
function appearances(run: CameraOutcome, clock: 'capture' | 'presentation'): Appearance[] {
  const frames = run.frames.filter((f) => f.index < PERIOD).sort((a, b) => a.now - b.now);
  const found: Appearance[] = [];
  for (let i = 1; i < frames.length; i++) {
    const previous = frames[i - 1]!;
    const frame = frames[i]!;
    if (!(previous.index < BLANK_FRAMES && frame.index >= BLANK_FRAMES)) continue;
    const t = clock === 'capture' && frame.captureTime !== null ? frame.captureTime : frame.presentationTime;
    found.push({ at: t - ((frame.index - BLANK_FRAMES) * 1000) / FPS, decodedAt: null });
  }
  for (const appearance of found) {
    const until = appearance.at + (PERIOD * 1000) / FPS;
    const decode = run.decodes.find((d) => d.text === EAN13 && d.t >= appearance.at && d.t < until);
    appearance.decodedAt = decode ? decode.t : null;
  }
  return found;
}

// --- the section --------------------------------------------------------------------------------

export async function cameraSpeed(log: (line: string) => void): Promise<SectionResult> {
  const harness = await cameraHarness(log);
  const rows: Row[] = [];
  const notes: string[] = [];
  const code = await renderEan13();
  const frames = SIZES.map((size) => {
    const blank = cardboard(size.width, size.height);
    return { ...size, blank, withCode: paste(blank, code) };
  });

  // (a) per-frame cost in the worker
  const browser = await cameraBrowser();
  try {
    const page = await benchPage(browser, harness.url);
    const available = await page.evaluate((names) => (window as unknown as { cameraBench: CameraBenchApi }).cameraBench.engines(names), ENGINES);
    const engines = available.filter((e) => e.available).map((e) => e.name);
    for (const e of available.filter((e) => !e.available)) notes.push(`Engine ${e.name}: not available in this Chromium (${e.reason ?? 'no reason given'}).`);
    for (const size of frames) {
      const urls = {
        none: harness.publish(`frame-${size.width}x${size.height}-blank.rgba`, size.blank.rgba),
        ean13: harness.publish(`frame-${size.width}x${size.height}-ean13.rgba`, size.withCode.rgba),
      };
      for (const engine of engines) {
        for (const content of ['none', 'ean13'] as const) {
          const measure = (hard: boolean) =>
            page.evaluate(
              (request) => (window as unknown as { cameraBench: CameraBenchApi }).cameraBench.speed(request),
              { frameUrl: urls[content], width: size.width, height: size.height, engine, hard, frames: hard ? HARD_FRAMES : FAST_FRAMES, warmup: WARMUP_FRAMES },
            );
          const fast: SpeedOutcome = await measure(false);
          const hard: SpeedOutcome = await measure(true);
          if (fast.engine !== engine || hard.engine !== engine) throw new Error(`${engine} fell back to ${fast.engine}`);
          for (const [pass, outcome] of [['fast', fast], ['hard', hard]] as const) {
            const wrong = outcome.texts.filter((text) => text !== EAN13);
            rows.push({
              measure: '(a) worker ms per frame',
              frame: `${size.width}×${size.height}`,
              'engine / pipeline': engine,
              'in view': content === 'none' ? 'nothing (cardboard)' : 'EAN-13',
              pass,
              'median ms': ms(quantile(outcome.ms, 0.5)),
              'p95 ms': ms(quantile(outcome.ms, 0.95)),
              detail: `read in ${outcome.reads}/${outcome.ms.length} frames${wrong.length ? `; also read ${wrong.join(', ')}` : ''}`,
            });
          }
          log(`${size.width}×${size.height} ${engine} ${content}: fast ${ms(quantile(fast.ms, 0.5))} ms, hard ${ms(quantile(hard.ms, 0.5))} ms`);
        }
      }
    }
  } finally {
    await closeBrowser(browser);
  }

  // (b) time to first decode from the fake camera
  const dir = await mkdtemp(join(tmpdir(), 'dockhand-camera-footage-'));
  const cameraRows: Row[] = [];
  const liveCosts: string[] = [];
  const clocks = new Set<string>();
  try {
    const big = frames.find((f) => f.width === 1280)!;
    const footage = await writeFootage(dir, big.blank, big.withCode);
    const seconds = Math.ceil((APPEARANCES * PERIOD) / FPS) + 1;
    log(`footage ${footage}: ${PERIOD} frames at ${FPS} fps, looped; ${seconds} s per pipeline`);
    const fake = await cameraBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${footage}`]);
    try {
      for (const pipeline of ['app', 'plain'] as const) {
        const page = await benchPage(fake, harness.url);
        const run: CameraOutcome = await page.evaluate(
          (request) => (window as unknown as { cameraBench: CameraBenchApi }).cameraBench.camera(request),
          { pipeline, seconds, markerBits: MARKER_BITS, markerBlock: MARKER_BLOCK },
        );
        await page.context().close();
        if (run.error) throw new Error(`${pipeline} camera run failed: ${run.error}`);
        const hasCapture = run.frames.some((f) => f.captureTime !== null);
        clocks.add(hasCapture ? 'capture' : 'presentation');
        const seen = appearances(run, 'capture');
        const latencies = seen.flatMap((a) => (a.decodedAt === null ? [] : [a.decodedAt - a.at]));
        const byPresentation = appearances(run, 'presentation').flatMap((a) => (a.decodedAt === null ? [] : [a.decodedAt - a.at]));
        const wrong = run.decodes.filter((d) => d.text !== EAN13);
        const span = run.frames.length > 1 ? (run.frames.at(-1)!.now - run.frames[0]!.now) / 1000 : 0;
        cameraRows.push({
          measure: '(b) ms to first decode',
          frame: `${run.width}×${run.height} camera`,
          'engine / pipeline': pipeline === 'app' ? 'app: camera-source + bridge + worker (zxing-wasm)' : 'plain @zxing/browser decodeFromVideoDevice',
          'in view': `EAN-13 appears ${seen.length}×`,
          pass: pipeline === 'app' ? 'fast, hard every 8th' : 'default hints',
          'median ms': ms(quantile(latencies, 0.5)),
          'p95 ms': ms(quantile(latencies, 0.95)),
          detail:
            `decoded ${latencies.length}/${seen.length}; min ${ms(Math.min(...latencies))}, max ${ms(Math.max(...latencies))}; ` +
            `median from presentation time ${ms(quantile(byPresentation, 0.5))}; ${span > 0 ? Math.round(run.frames.length / span) : 0} frames/s seen` +
            (wrong.length ? `; ${wrong.length} other reads` : ''),
        });
        if (pipeline === 'app') {
          const fast = run.frameCosts.filter((c) => !c.hard).map((c) => c.ms);
          const hard = run.frameCosts.filter((c) => c.hard).map((c) => c.ms);
          liveCosts.push(
            `In the live 1280×720 camera run the app's worker decoded ${run.frameCosts.length} frames (${(run.frameCosts.length / seconds).toFixed(1)}/s; the bridge drops frames while one is in flight): ` +
              `fast pass median ${ms(quantile(fast, 0.5))} ms (p95 ${ms(quantile(fast, 0.95))}), hard pass median ${ms(quantile(hard, 0.5))} ms (p95 ${ms(quantile(hard, 0.95))}).`,
          );
        }
        log(`${pipeline}: ${latencies.length}/${seen.length} appearances decoded, median ${ms(quantile(latencies, 0.5))} ms (${latencies.map((l) => Math.round(l)).join(', ')})`);
      }
    } finally {
      await closeBrowser(fake);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const wasm720 = rows.find((r) => r['engine / pipeline'] === 'zxing-wasm' && r.frame === '1280×720' && r['in view'] !== 'EAN-13' && r.pass === 'fast');
  const wasm720Hard = rows.find((r) => r['engine / pipeline'] === 'zxing-wasm' && r.frame === '1280×720' && r['in view'] !== 'EAN-13' && r.pass === 'hard');
  /** What the worker spends per frame on average: every HARD_PASS_EVERY-th frame is a harder pass. */
  const cycleMean =
    typeof wasm720?.['median ms'] === 'number' && typeof wasm720Hard?.['median ms'] === 'number'
      ? ((HARD_PASS_EVERY - 1) * wasm720['median ms'] + wasm720Hard['median ms']) / HARD_PASS_EVERY
      : null;
  const app = cameraRows[0];
  notes.push(
    `(a) Frames made in Node (brown cardboard texture, optionally an EAN-13 ${EAN13} rendered by bwip-js at 3 px/module, centred), sent as ImageBitmaps (transferred) to a worker running the project's decode session ` +
      `(bench/camera-page/bench-worker.ts: workers/decode-worker.ts with the pass chosen), region of interest and formats as the camera source sends them (roi.ts "linear" band). ` +
      `Time per frame as workers/decode-worker.ts measures it (read ROI pixels, downscale, decode, check-digit filter); ${FAST_FRAMES} fast and ${HARD_FRAMES} hard frames after ${WARMUP_FRAMES} warm-up frames, median and p95.`,
  );
  notes.push(
    `(b) Chromium's fake camera plays a 1280×720 Y4M at ${FPS} fps: ${BLANK_FRAMES / FPS} s of cardboard, then the EAN-13 for ${CODE_FRAMES / FPS} s, looped; ~${APPEARANCES} appearances per pipeline, each pipeline in its own page, one after the other. ` +
      `Each frame carries its number as ${MARKER_BITS} black/white squares in the top-left corner (outside the ROI); a requestVideoFrameCallback observer reads it from every presented frame. ` +
      `An appearance is the step from a blank frame to a code frame; its time is that frame's ${[...clocks].join('/')} time (rVFC metadata) less ${Math.round(1000 / FPS)} ms for each code frame the observer missed. ` +
      `Latency = first decode callback with the right text (camera-source listener / decodeFromVideoDevice callback, performance.now()) minus the appearance time. "from presentation" uses rVFC presentationTime instead, as a cross-check.`,
  );
  for (const line of liveCosts) notes.push(line);
  notes.push(
    `Target: first decode ≤ 250 ms after the code appears (app pipeline): ${app ? `median ${String(app['median ms'])} ms — ${typeof app['median ms'] === 'number' && app['median ms'] <= 250 ? 'met' : 'NOT met'}` : 'not measured'}.`,
  );
  notes.push(
    `Target: per-frame cost at 1280×720 with nothing in view ≤ 10 ms on the fast pass (zxing-wasm): ${wasm720 ? `median ${String(wasm720['median ms'])} ms, p95 ${String(wasm720['p95 ms'])} ms — ${typeof wasm720['median ms'] === 'number' && wasm720['median ms'] <= 10 ? 'met' : 'NOT met'}` : 'not measured'}.`,
  );
  if (cycleMean !== null) {
    notes.push(
      `Averaged over the worker's cycle of ${HARD_PASS_EVERY} frames (${HARD_PASS_EVERY - 1} fast, 1 harder pass, which with nothing found also decodes the region enlarged ${HARD_ENLARGE}×), 1280×720 with nothing in view costs ${cycleMean.toFixed(1)} ms per frame; the harder frame alone takes ${String(wasm720Hard!['median ms'])} ms, during which the worker drops the frames that arrive.`,
    );
  }
  notes.push('Plain @zxing/browser waits 500 ms between scan attempts by default (delayBetweenScanAttempts), so its first decode lands up to half a second after the code appears.');
  return { rows: [...rows, ...cameraRows], notes };
}
