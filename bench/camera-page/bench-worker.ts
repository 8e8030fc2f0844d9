// The benchmark's decode worker: workers/decode-worker.ts with the pass chosen by the caller. It
// builds the same decode session (src/scanner/camera/decode/session.ts) from the same engines and
// frame reader, so a frame costs here what it costs in the app's worker, but a session is made per
// engine and pass: `hardPassEvery: 1` for the harder pass, never for the fast one. The deduper is
// reset before every frame (a still image "held" for many frames would otherwise be reported once),
// and the engine's own output is kept to show what the check-digit filter dropped.
import type { DecodeResult, Decoder, EngineName, WarehouseFormat } from '../../src/scanner/camera/decode/decoder';
import { loadDecoder } from '../../src/scanner/camera/decode/engines';
import { createFrameReader, type Rect } from '../../src/scanner/camera/decode/frame-image';
import { createDecodeSession } from '../../src/scanner/camera/decode/session';

export type BenchWorkerRequest =
  | { type: 'engines'; id: number; names: EngineName[] }
  | {
      type: 'frame';
      id: number;
      /** Transferred, and closed here as the app's worker closes it. */
      image: ImageBitmap;
      roi: Rect | null;
      formats: readonly WarehouseFormat[];
      engine: EngineName;
      hard: boolean;
    };

export type BenchWorkerReply =
  | { type: 'engines'; id: number; engines: { name: EngineName; available: boolean; reason?: string }[] }
  | {
      type: 'frame';
      id: number;
      /** What the session reports: check digits verified, frame coordinates. */
      results: DecodeResult[];
      /** What the engine returned before the check-digit filter. */
      raw: DecodeResult[];
      /** The engine that decoded (the session falls back to zxing-js when one cannot load). */
      engine: EngineName;
      hard: boolean;
      /** As workers/decode-worker.ts measures it: pixels read, decoded, filtered. */
      decodeMs: number;
    }
  | { type: 'error'; id: number; message: string };

interface WorkerScope {
  postMessage(message: BenchWorkerReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<BenchWorkerRequest>) => void): void;
}

const scope = self as unknown as WorkerScope;
const reader = createFrameReader();
let lastRaw: DecodeResult[] = [];

/** The project's engine, recording what it returns. */
async function recordingDecoder(name: EngineName): Promise<Decoder> {
  const decoder = await loadDecoder(name);
  return {
    name: decoder.name,
    ready: () => decoder.ready(),
    async decode(image, opts) {
      lastRaw = await decoder.decode(image, opts);
      return lastRaw;
    },
  };
}

type Session = ReturnType<typeof createDecodeSession>;
const sessions = new Map<string, Session>();

function sessionFor(hard: boolean): Session {
  const key = hard ? 'hard' : 'fast';
  let session = sessions.get(key);
  if (!session) {
    session = createDecodeSession({ loadDecoder: recordingDecoder, readPixels: reader.read, hardPassEvery: hard ? 1 : Number.MAX_SAFE_INTEGER });
    sessions.set(key, session);
  }
  return session;
}

async function engines(names: EngineName[]) {
  return Promise.all(
    names.map(async (name) => {
      try {
        await loadDecoder(name);
        return { name, available: true };
      } catch (error) {
        return { name, available: false, reason: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (request.type === 'engines') {
    void engines(request.names).then((list) => scope.postMessage({ type: 'engines', id: request.id, engines: list }));
    return;
  }
  const session = sessionFor(request.hard);
  session.reset();
  lastRaw = [];
  const started = performance.now();
  session
    .frame(request)
    .then(({ results, engine, hard }) => {
      const decodeMs = performance.now() - started;
      scope.postMessage({ type: 'frame', id: request.id, results, raw: lastRaw, engine, hard, decodeMs });
    })
    .catch((error: unknown) => {
      scope.postMessage({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
    })
    .finally(() => request.image.close());
});
