// The page's side of the submission worker (workers/submit-worker.ts). A scan's transaction runs
// there because the page's main thread answers IndexedDB only after the frame its keystrokes
// asked for; the worker has no frames to draw. Where the page cannot have a worker (tests, a
// worker that failed to start) submissions run in this thread, the same code either way.
import type { MutationType } from '../domain/mutations';
import type { DockhandDb } from './db';
import { MalformedMutationError, anticipateMutation, submitMutation, type SubmitInput, type SubmitResult } from './outbox';
import { fromWire, toWire, type SubmitReply, type SubmitRequest, type WireInput } from './submit-protocol';

/** The slice of Worker the bridge uses, so tests can stand in a fake. */
export interface SubmitWorker {
  postMessage(message: SubmitRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<SubmitReply>) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

interface InFlight {
  db: DockhandDb;
  input: WireInput;
  /** Null for an anticipation: nobody waits for it, and it writes nothing to look up. */
  settle: ((outcome: Promise<SubmitResult | null>) => void) | null;
}

function errorFrom({ name, message }: { name: string; message: string }): Error {
  const error = name === 'MalformedMutationError' ? new MalformedMutationError(message) : new Error(message);
  error.name = name;
  return error;
}

/**
 * Submissions through one worker, in the order they are made. When the worker fails, every later
 * submission runs in this thread; one it had in hand is looked up by its id in the outbox first
 * (a worker can die after its commit and before its answer), so a scan is never recorded twice.
 */
export class SubmitBridge {
  private worker: SubmitWorker | null = null;
  private failed = false;
  private nextId = 1;
  private readonly inFlight = new Map<number, InFlight>();

  constructor(private readonly createWorker: () => SubmitWorker) {}

  /** Starts the worker (loading its code, opening its connection) before the first scan needs it. */
  warm(): void {
    this.ensureWorker();
  }

  submit<T extends MutationType>(db: DockhandDb, input: SubmitInput<T>): Promise<SubmitResult> {
    const wire = toWire(input);
    const worker = this.ensureWorker();
    if (!worker) return submitMutation(db, fromWire(wire));
    return new Promise<SubmitResult | null>((resolve, reject) => {
      const requestId = this.nextId++;
      this.inFlight.set(requestId, { db, input: wire, settle: (outcome) => outcome.then(resolve, reject) });
      worker.postMessage({ kind: 'submit', requestId, db: db.name, input: wire });
    }).then((result) => result ?? submitMutation(db, fromWire(wire)));
  }

  /** Prepares the worker for `input`, the submission the screen expects next (outbox `anticipateMutation`). */
  anticipate<T extends MutationType>(db: DockhandDb, input: SubmitInput<T>): void {
    const wire = toWire(input);
    const worker = this.ensureWorker();
    if (!worker) {
      void anticipateMutation(db, fromWire(wire));
      return;
    }
    const requestId = this.nextId++;
    this.inFlight.set(requestId, { db, input: wire, settle: null });
    worker.postMessage({ kind: 'anticipate', requestId, db: db.name, input: wire });
  }

  private ensureWorker(): SubmitWorker | null {
    if (this.failed) return null;
    if (this.worker) return this.worker;
    try {
      this.worker = this.createWorker();
    } catch (error) {
      console.warn('The submission worker could not start; submitting on the page', error);
      this.failed = true;
      return null;
    }
    this.worker.addEventListener('message', (event) => this.answer(event.data));
    this.worker.addEventListener('error', (event) => this.fail(event));
    return this.worker;
  }

  private answer(reply: SubmitReply): void {
    const settle = this.inFlight.get(reply.requestId)?.settle;
    this.inFlight.delete(reply.requestId);
    if (!settle) return;
    if ('result' in reply) settle(Promise.resolve(reply.result));
    else if ('error' in reply) settle(Promise.reject(errorFrom(reply.error)));
  }

  private fail(event: Event): void {
    console.warn('The submission worker failed; submitting on the page from now on', event);
    this.failed = true;
    this.worker?.terminate();
    this.worker = null;
    const lost = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const request of lost) {
      if (!request.settle) continue;
      // Read after the worker's transaction has ended either way (IndexedDB orders them): an entry
      // with this id means it committed. Its changed rows reach the screen through live queries.
      request.settle(
        request.db.outbox
          .where('id')
          .equals(request.input.mutationId)
          .first()
          .then((entry) => (entry ? { ok: true as const, mutationId: entry.id, seq: entry.seq, changes: [] } : null)),
      );
    }
  }
}

function createSubmitWorker(): SubmitWorker {
  return new Worker(new URL('../../workers/submit-worker.ts', import.meta.url), { type: 'module', name: 'submissions' });
}

let appBridge: SubmitBridge | null | undefined;

/** The app's bridge; null where this page cannot run workers (tests under jsdom, old engines). */
function bridge(): SubmitBridge | null {
  if (appBridge === undefined) appBridge = typeof Worker === 'function' ? new SubmitBridge(createSubmitWorker) : null;
  return appBridge;
}

/**
 * Submits a mutation (outbox `submitMutation`): in the submission worker where there is one,
 * otherwise in this thread. Resolves once it has committed, with the same result either way.
 */
export function submit<T extends MutationType>(db: DockhandDb, input: SubmitInput<T>): Promise<SubmitResult> {
  return bridge()?.submit(db, input) ?? submitMutation(db, input);
}

/** The submission the screen expects next (see `anticipateMutation`); never fails. */
export function anticipate<T extends MutationType>(db: DockhandDb, input: SubmitInput<T>): void {
  const target = bridge();
  if (target) target.anticipate(db, input);
  else void anticipateMutation(db, input);
}

/** Starts the submission worker ahead of the first scan. */
export function warmSubmissions(): void {
  bridge()?.warm();
}
