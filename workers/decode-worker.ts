// The barcode decode worker: takes camera frames from the page's decode bridge and replies with
// the codes first seen in each. All the work is in src/scanner/camera/decode/session.ts.
import { loadDecoder } from '../src/scanner/camera/decode/engines';
import { createFrameReader } from '../src/scanner/camera/decode/frame-image';
import type { WorkerReply, WorkerRequest } from '../src/scanner/camera/decode/protocol';
import { createDecodeSession } from '../src/scanner/camera/decode/session';

declare const self: DedicatedWorkerGlobalScope;

const reader = createFrameReader();
const session = createDecodeSession({ loadDecoder, readPixels: reader.read });

function reply(message: WorkerReply): void {
  self.postMessage(message);
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'reset') {
    session.reset();
    return;
  }
  const started = performance.now();
  session
    .frame(request)
    .then(({ results, engine, hard }) => {
      reply({ type: 'frame', id: request.id, results, engine, hard, decodeMs: performance.now() - started });
    })
    .catch((error: unknown) => {
      reply({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
    })
    .finally(() => {
      if ('close' in request.image) request.image.close();
    });
});
