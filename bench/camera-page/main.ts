// The camera benchmark page (driven by bench/camera-accuracy.ts and bench/camera-speed.ts through
// playwright-core): the project's engines in a worker built from the project's decode session, the
// project's camera pipeline (camera source → decode bridge → workers/decode-worker.ts), and plain
// @zxing/browser as the baseline. Everything is exposed on `window.cameraBench`.
import { BrowserMultiFormatReader } from '@zxing/browser';
import { BarcodeFormat, ChecksumException, FormatException, NotFoundException } from '@zxing/library';
import { createCameraSource } from '../../src/scanner/camera/camera-source';
import type { DecodeResult, EngineName } from '../../src/scanner/camera/decode/decoder';
import { WAREHOUSE_FORMATS } from '../../src/scanner/camera/decode/decoder';
import { bracketedToElementString } from '../../src/scanner/camera/decode/zxing-js';
import { formatsFor, roiFor } from '../../src/scanner/camera/roi';
import type { BenchWorkerReply, BenchWorkerRequest } from './bench-worker';

/** One barcode read, as it crosses back to Node. */
export interface Read {
  text: string;
  format: string;
  /** The engine's bytes, hex; for .bin expectations. */
  bytesHex?: string;
  /** Plain zxing-js's bracketed DataBar Expanded text as an element string (the project's rewrite). */
  elementString?: string;
}

export interface Attempt {
  /** What the pipeline reports (check digits verified). */
  reads: Read[];
  /** What the engine returned before the check-digit filter (the baseline: same as reads). */
  raw: Read[];
  ms: number;
  /** The engine threw (the app's worker would reply an error: no read for that frame). */
  error?: string;
}

export interface AccuracyItem {
  id: string;
  url: string;
}

export interface ImageOutcome {
  id: string;
  width: number;
  height: number;
  /** Keyed `engine|rotation|fast|hard`, `plain|rotation` (a new reader) and `plain-reused|rotation`. */
  attempts: Record<string, Attempt>;
  error?: string;
}

export interface SpeedRequest {
  /** Raw RGBA pixels, width × height × 4 bytes. */
  frameUrl: string;
  width: number;
  height: number;
  engine: EngineName;
  hard: boolean;
  frames: number;
  warmup: number;
}

export interface SpeedOutcome {
  ms: number[];
  /** Frames in which the pipeline reported the code. */
  reads: number;
  engine: EngineName;
  texts: string[];
}

export interface CameraRequest {
  pipeline: 'app' | 'plain';
  seconds: number;
  /** The frame counter drawn in the footage: `bits` squares of `block` px along the top-left edge. */
  markerBits: number;
  markerBlock: number;
}

export interface FrameLog {
  index: number;
  now: number;
  presentationTime: number;
  expectedDisplayTime: number;
  captureTime: number | null;
}

export interface CameraOutcome {
  frames: FrameLog[];
  decodes: { t: number; text: string }[];
  /** The app pipeline's per-frame worker timings. */
  frameCosts: { ms: number; hard: boolean }[];
  width: number;
  height: number;
  error?: string;
}

// --- the bench worker ---------------------------------------------------------------------------

const worker = new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module', name: 'bench-decoder' });
let nextId = 1;
const pending = new Map<number, (reply: BenchWorkerReply) => void>();
worker.addEventListener('message', (event: MessageEvent<BenchWorkerReply>) => {
  const resolve = pending.get(event.data.id);
  pending.delete(event.data.id);
  resolve?.(event.data);
});

function ask(request: BenchWorkerRequest, transfer: Transferable[] = []): Promise<BenchWorkerReply> {
  return new Promise((resolve) => {
    pending.set(request.id, resolve);
    worker.postMessage(request, transfer);
  });
}

function hex(bytes: Uint8Array | undefined): string | undefined {
  return bytes ? Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') : undefined;
}

function toRead(result: DecodeResult): Read {
  const bytesHex = hex(result.bytes);
  return { text: result.text, format: result.format, ...(bytesHex === undefined ? {} : { bytesHex }) };
}

async function engines(names: EngineName[]) {
  const reply = await ask({ type: 'engines', id: nextId++, names });
  if (reply.type !== 'engines') throw new Error('unexpected reply');
  return reply.engines;
}

async function decodeInWorker(canvas: HTMLCanvasElement, engine: EngineName, hard: boolean, roi: ReturnType<typeof roiFor> | null, formats: typeof WAREHOUSE_FORMATS | readonly string[]) {
  const image = await createImageBitmap(canvas);
  const reply = await ask(
    { type: 'frame', id: nextId++, image, roi, formats: formats as typeof WAREHOUSE_FORMATS, engine, hard },
    [image],
  );
  if (reply.type === 'error') throw new Error(reply.message);
  if (reply.type !== 'frame') throw new Error('unexpected reply');
  return reply;
}

// --- accuracy -----------------------------------------------------------------------------------

function rotated(image: ImageBitmap, rotation: 0 | 90): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  const quarter = rotation === 90;
  canvas.width = quarter ? image.height : image.width;
  canvas.height = quarter ? image.width : image.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  if (quarter) {
    // 90° clockwise, as zxing-cpp's ImageView::rotated(90).
    ctx.translate(canvas.width, 0);
    ctx.rotate(Math.PI / 2);
  }
  ctx.drawImage(image, 0, 0);
  return canvas;
}

/** One reader for the whole run, as an app keeps one: its DataBar readers carry state across images. */
const reusedReader = new BrowserMultiFormatReader();

function plainRead(canvas: HTMLCanvasElement, reader: BrowserMultiFormatReader): Attempt {
  const started = performance.now();
  let reads: Read[] = [];
  let error: string | undefined;
  try {
    const result = reader.decodeFromCanvas(canvas);
    const format = result.getBarcodeFormat();
    const text = result.getText();
    const elementString = format === BarcodeFormat.RSS_EXPANDED ? bracketedToElementString(text) : undefined;
    reads = [{ text, format: BarcodeFormat[format] ?? String(format), ...(elementString === undefined ? {} : { elementString }) }];
  } catch (thrown) {
    // NotFound, Checksum and Format exceptions are "no read"; anything else is a crash, kept.
    const noRead = thrown instanceof NotFoundException || thrown instanceof ChecksumException || thrown instanceof FormatException;
    if (!noRead) error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  }
  return { reads, raw: reads, ms: performance.now() - started, ...(error === undefined ? {} : { error }) };
}

async function engineRead(canvas: HTMLCanvasElement, engine: EngineName, hard: boolean): Promise<Attempt> {
  const started = performance.now();
  try {
    // The whole image: photos are not camera frames, so no region of interest.
    const reply = await decodeInWorker(canvas, engine, hard, null, WAREHOUSE_FORMATS);
    if (reply.engine !== engine) throw new Error(`${engine} fell back to ${reply.engine}`);
    return { reads: reply.results.map(toRead), raw: reply.raw.map(toRead), ms: reply.decodeMs };
  } catch (thrown) {
    return { reads: [], raw: [], ms: performance.now() - started, error: thrown instanceof Error ? thrown.message : String(thrown) };
  }
}

async function accuracy(items: AccuracyItem[], engineNames: EngineName[]): Promise<ImageOutcome[]> {
  const out: ImageOutcome[] = [];
  for (const item of items) {
    const outcome: ImageOutcome = { id: item.id, width: 0, height: 0, attempts: {} };
    out.push(outcome);
    try {
      const image = await createImageBitmap(await (await fetch(item.url)).blob());
      outcome.width = image.width;
      outcome.height = image.height;
      for (const rotation of [0, 90] as const) {
        const canvas = rotated(image, rotation);
        for (const engine of engineNames) {
          for (const hard of [false, true]) {
            outcome.attempts[`${engine}|${rotation}|${hard ? 'hard' : 'fast'}`] = await engineRead(canvas, engine, hard);
          }
        }
        outcome.attempts[`plain|${rotation}`] = plainRead(canvas, new BrowserMultiFormatReader());
        outcome.attempts[`plain-reused|${rotation}`] = plainRead(canvas, reusedReader);
      }
      image.close();
    } catch (error) {
      outcome.error = error instanceof Error ? error.message : String(error);
    }
  }
  return out;
}

// --- per-frame cost -----------------------------------------------------------------------------

const frameCanvases = new Map<string, HTMLCanvasElement>();

async function frameCanvas(url: string, width: number, height: number): Promise<HTMLCanvasElement> {
  let canvas = frameCanvases.get(url);
  if (!canvas) {
    const pixels = new Uint8ClampedArray(await (await fetch(url)).arrayBuffer());
    canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')!.putImageData(new ImageData(pixels, width, height), 0, 0);
    frameCanvases.set(url, canvas);
  }
  return canvas;
}

async function speed(request: SpeedRequest): Promise<SpeedOutcome> {
  const canvas = await frameCanvas(request.frameUrl, request.width, request.height);
  // As the camera source sends it: the linear band and the formats searched in it.
  const roi = roiFor('linear', request.width, request.height);
  const formats = formatsFor('linear');
  const ms: number[] = [];
  const texts = new Set<string>();
  let reads = 0;
  let engine = request.engine;
  for (let i = 0; i < request.warmup + request.frames; i++) {
    const reply = await decodeInWorker(canvas, request.engine, request.hard, roi, formats);
    engine = reply.engine;
    if (i < request.warmup) continue;
    ms.push(reply.decodeMs);
    if (reply.results.length > 0) reads++;
    for (const result of reply.results) texts.add(result.text);
  }
  return { ms, reads, engine, texts: [...texts] };
}

// --- time to first decode from the (fake) camera ------------------------------------------------

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads the frame counter of every frame the video presents. The canvas copies only the counter's
 * strip, so the observer costs both pipelines the same small amount.
 */
function observeFrames(video: HTMLVideoElement, bits: number, block: number, frames: FrameLog[]): () => void {
  const canvas = document.createElement('canvas');
  canvas.width = bits * block;
  canvas.height = block;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  let stopped = false;
  const onFrame = (now: number, meta: VideoFrameCallbackMetadata) => {
    if (stopped) return;
    video.requestVideoFrameCallback(onFrame);
    if (!video.videoWidth) return;
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height, 0, 0, canvas.width, canvas.height);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let index = 0;
    for (let bit = 0; bit < bits; bit++) {
      const x = bit * block + (block >> 1);
      const y = block >> 1;
      if (data[(y * canvas.width + x) * 4]! > 128) index |= 1 << bit;
    }
    frames.push({
      index,
      now,
      presentationTime: meta.presentationTime,
      expectedDisplayTime: meta.expectedDisplayTime,
      captureTime: meta.captureTime ?? null,
    });
  };
  video.requestVideoFrameCallback(onFrame);
  return () => {
    stopped = true;
  };
}

async function camera(request: CameraRequest): Promise<CameraOutcome> {
  const video = document.getElementById('camera') as HTMLVideoElement;
  const outcome: CameraOutcome = { frames: [], decodes: [], frameCosts: [], width: 0, height: 0 };
  const stopObserving = observeFrames(video, request.markerBits, request.markerBlock, outcome.frames);
  try {
    if (request.pipeline === 'app') {
      const source = createCameraSource({
        video,
        onFrameDecoded: (ms, hard) => outcome.frameCosts.push({ ms, hard }),
      });
      await source.start((event) => outcome.decodes.push({ t: performance.now(), text: event.text }));
      if (source.state.status === 'error') throw new Error(`camera: ${source.state.message}`);
      await wait(request.seconds * 1000);
      outcome.width = video.videoWidth;
      outcome.height = video.videoHeight;
      source.stop();
    } else {
      // Plain @zxing/browser as its README shows it: default hints and options.
      const reader = new BrowserMultiFormatReader();
      const controls = await reader.decodeFromVideoDevice(undefined, video, (result) => {
        if (result) outcome.decodes.push({ t: performance.now(), text: result.getText() });
      });
      await wait(request.seconds * 1000);
      outcome.width = video.videoWidth;
      outcome.height = video.videoHeight;
      controls.stop();
    }
  } catch (error) {
    outcome.error = error instanceof Error ? error.message : String(error);
  } finally {
    stopObserving();
  }
  return outcome;
}

const api = { engines, accuracy, speed, camera, ready: true };
export type CameraBenchApi = typeof api;
(window as unknown as { cameraBench: CameraBenchApi }).cameraBench = api;
