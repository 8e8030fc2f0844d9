// The submission worker's side: runs the page's submissions (outbox `submitMutation`) one after
// another on the worker's own connection to the device's database, and answers each.
import { DockhandDb } from './db';
import { anticipateMutation, submitMutation } from './outbox';
import { fromWire, type SubmitReply, type SubmitRequest } from './submit-protocol';

export interface HostPort {
  postMessage(message: SubmitReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<SubmitRequest>) => void): void;
}

/** Answers `port`'s requests in the order they arrive. */
export function serveSubmissions(port: HostPort): void {
  const databases = new Map<string, DockhandDb>();
  let queue: Promise<unknown> = Promise.resolve();
  port.addEventListener('message', (event) => {
    const request = event.data;
    let db = databases.get(request.db);
    if (!db) {
      db = new DockhandDb(request.db);
      databases.set(request.db, db);
    }
    const target = db;
    queue = queue.then(async () => {
      if (request.kind === 'anticipate') {
        await anticipateMutation(target, fromWire(request.input));
        port.postMessage({ requestId: request.requestId, done: true });
        return;
      }
      try {
        port.postMessage({ requestId: request.requestId, result: await submitMutation(target, fromWire(request.input)) });
      } catch (error) {
        const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
        port.postMessage({ requestId: request.requestId, error: { name, message } });
      }
    });
  });
}
