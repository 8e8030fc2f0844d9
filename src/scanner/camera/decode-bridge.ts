// The page's side of the decode worker (after squoosh's worker-bridge): creates the worker on the
// first frame, keeps at most one frame in flight and drops the rest, so the camera loop never
// waits; aborting a decode kills the worker (WebAssembly cannot be interrupted), and a worker
// left idle is ended to give its memory back.
import type { DecodeResult, EngineName, WarehouseFormat } from './decode/decoder';
import { WAREHOUSE_FORMATS } from './decode/decoder';
import type { Rect } from './decode/frame-image';
import type { FrameReply, WorkerReply, WorkerRequest } from './decode/protocol';

/** A worker with no frame for this long is terminated; the next frame starts a new one. */
export const WORKER_IDLE_MS = 10_000;

/** The slice of Worker the bridge uses, so tests can stand in a fake. */
export interface WorkerLike {
  postMessage(message: WorkerRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerReply>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

export interface DecodeBridgeOptions {
  /** Default zxing-wasm. */
  engine?: EngineName;
  formats?: readonly WarehouseFormat[];
  idleMs?: number;
  createWorker?: () => WorkerLike;
}

export interface DecodeRequest {
  /** The part of the image to search; the whole image when null or left out. */
  roi?: Rect | null;
  /** Default: the bridge's formats. */
  formats?: readonly WarehouseFormat[];
  signal?: AbortSignal;
}

export type DecodeOutcome =
  | { status: 'decoded'; results: DecodeResult[]; engine: EngineName; hard: boolean; decodeMs: number }
  /** Another frame was still being decoded: this one was closed unread. */
  | { status: 'dropped' };

export interface DecodeBridge {
  /** True while a frame is in the worker: a caller can skip grabbing the next one. */
  readonly busy: boolean;
  /**
   * Decodes `image` (transferred to the worker, or closed if dropped). Rejects with an AbortError
   * when `signal` aborts, and with the worker's error when decoding fails.
   */
  decode(image: ImageBitmap | ImageData, request?: DecodeRequest): Promise<DecodeOutcome>;
  /** Forgets the codes already reported, so the next sighting of each is reported again. */
  reset(): void;
  /** Ends the worker now; a later decode starts a fresh one. */
  terminate(): void;
}

function createDecodeWorker(): WorkerLike {
  return new Worker(new URL('../../../workers/decode-worker.ts', import.meta.url), { type: 'module', name: 'barcode-decoder' });
}

function abortError(): DOMException {
  return new DOMException('Decoding was aborted', 'AbortError');
}

interface InFlight {
  id: number;
  resolve(outcome: DecodeOutcome): void;
  reject(error: unknown): void;
  cleanup(): void;
}

export function createDecodeBridge(options: DecodeBridgeOptions = {}): DecodeBridge {
  const { engine = 'zxing-wasm', formats = WAREHOUSE_FORMATS, idleMs = WORKER_IDLE_MS, createWorker = createDecodeWorker } = options;
  let worker: WorkerLike | null = null;
  let inFlight: InFlight | null = null;
  let nextId = 1;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  function clearIdle(): void {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
  }

  function settle(): InFlight | null {
    const current = inFlight;
    inFlight = null;
    current?.cleanup();
    return current;
  }

  function terminate(): void {
    clearIdle();
    worker?.terminate();
    worker = null;
    settle()?.reject(abortError());
  }

  function workerNow(): WorkerLike {
    if (worker) return worker;
    const created = createWorker();
    created.addEventListener('message', (event) => {
      const reply = event.data;
      if (created !== worker || !inFlight || reply.id !== inFlight.id) return;
      const current = settle()!;
      idleTimer = setTimeout(terminate, idleMs);
      if (reply.type === 'error') current.reject(new Error(reply.message));
      else current.resolve(decoded(reply));
    });
    created.addEventListener('error', (event) => {
      if (created !== worker) return;
      // A worker that failed to load or crashed is replaced on the next frame.
      worker = null;
      created.terminate();
      settle()?.reject(new Error(event.message || 'The decode worker failed'));
    });
    worker = created;
    return created;
  }

  return {
    get busy() {
      return inFlight !== null;
    },
    decode(image, { roi = null, formats: wanted = formats, signal } = {}) {
      if (inFlight || signal?.aborted) {
        if ('close' in image) image.close();
        return signal?.aborted ? Promise.reject(abortError()) : Promise.resolve({ status: 'dropped' });
      }
      clearIdle();
      const target = workerNow();
      const id = nextId++;
      return new Promise<DecodeOutcome>((resolve, reject) => {
        // The worker may be deep inside the engine: only ending it stops the work.
        const onAbort = () => terminate();
        signal?.addEventListener('abort', onAbort, { once: true });
        inFlight = { id, resolve, reject, cleanup: () => signal?.removeEventListener('abort', onAbort) };
        const transfer: Transferable[] = 'close' in image ? [image] : [image.data.buffer as ArrayBuffer];
        target.postMessage({ type: 'frame', id, image, roi, formats: wanted, engine }, transfer);
      });
    },
    reset() {
      worker?.postMessage({ type: 'reset' }, []);
    },
    terminate,
  };
}

function decoded(reply: FrameReply): DecodeOutcome {
  return { status: 'decoded', results: reply.results, engine: reply.engine, hard: reply.hard, decodeMs: reply.decodeMs };
}
