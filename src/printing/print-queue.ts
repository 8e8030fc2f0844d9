// Carton labels waiting to print: the pack station queues a job on the device (db.printJobs) and
// this queue sends it to POST /api/print-jobs, which prints it on a network printer. A job goes out
// when it is queued, when the device comes online, after every completed sync, and on a backoff
// while one waits; oldest first, in order per printer. The job's id is made once here, so sending
// it again after a lost answer never prints twice (the server answers the first outcome).
//
// What an answer does to a job: printed → `printed`; a refusal (4xx: an order this user cannot
// see, a printer removed, a carton with nothing packed) → `failed` with the server's words, never
// retried; no answer, a portal's page, a 5xx or the printer unreachable (502) → stays `queued`
// with the reason, tried again. A 401 stops the queue until the next sign-in. Printed and failed
// jobs stay `FINISHED_KEPT_MS` so the station shows the outcome, then are removed.
import { liveQuery, type Observable, type Subscription } from 'dexie';
import { MAX_PRINT_COPIES } from '../domain/printing';
import type { DockhandDb, PrintJob, StoredSession } from '../storage/db';
import { ApiError, createApiClient, type ApiClient } from '../sync/api-client';
import { browserOnline, type Clock, type OnlineSource } from '../sync/engine';
import { printJobEndpoint } from '../sync/endpoints';
import { runPerSession } from '../sync/per-session';
import { useSyncStatus, type SyncStatusStore } from '../sync/status-store';

/** How long a printed or failed job stays on the device after its outcome: one shift. */
export const FINISHED_KEPT_MS = 12 * 60 * 60_000;
/** First retry delay while a job waits; doubles per round that leaves one waiting, up to the cap. */
export const PRINT_BACKOFF_BASE_MS = 5_000;
export const PRINT_BACKOFF_CAP_MS = 2 * 60_000;

export interface LabelRequest {
  printer: string;
  orderId: string;
  carton: string;
  copies?: number;
}

/** Queues one carton label; the queue sends it as soon as it can (its live query sees the new job). */
export async function enqueueLabel(
  db: DockhandDb,
  request: LabelRequest,
  options: { now?: () => number; newId?: () => string } = {},
): Promise<PrintJob> {
  const copies = request.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 1 || copies > MAX_PRINT_COPIES) throw new RangeError(`Copies are 1 to ${MAX_PRINT_COPIES}, not ${copies}`);
  const job: PrintJob = {
    id: (options.newId ?? (() => crypto.randomUUID()))(),
    printer: request.printer,
    orderId: request.orderId,
    carton: request.carton,
    copies,
    status: 'queued',
    createdAt: (options.now ?? Date.now)(),
    attempts: 0,
  };
  await db.printJobs.add(job);
  return job;
}

/** An order's print jobs on this device, oldest first. */
export async function readOrderJobs(db: DockhandDb, orderId: string): Promise<PrintJob[]> {
  return (await db.printJobs.filter((job) => job.orderId === orderId).toArray()).sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * Takes a job that has not printed off the queue (a carton long gone when its printer comes
 * back). Answers whether it was still queued; one being sent right now may still print.
 */
export async function cancelJob(db: DockhandDb, id: string): Promise<boolean> {
  return db.transaction('rw', db.printJobs, async () => {
    const job = await db.printJobs.get(id);
    if (job?.status !== 'queued') return false;
    await db.printJobs.delete(id);
    return true;
  });
}

export interface PrintQueueOptions {
  db: DockhandDb;
  /** The session's bearer token. */
  token: string;
  fetch?: typeof fetch;
  baseUrl?: string;
  online?: OnlineSource;
  clock?: Clock;
  random?: () => number;
  /** Completed syncs (its `lastSyncAt`) trigger a round. */
  status?: SyncStatusStore;
}

export interface DrainRound {
  printed: number;
  failed: number;
  /** Jobs still queued after the round. */
  waiting: number;
}

/** What one send did to its job: `offline` stops the round, `printer-down` skips that printer's later jobs. */
type SendOutcome = 'printed' | 'failed' | 'printer-down' | 'offline' | 'signed-out';

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Why a send came back without an outcome, for the packer. */
function waitingReason(error: ApiError): string {
  switch (error.kind) {
    case 'unreachable':
    case 'timeout':
    case 'aborted':
      return 'Not sent yet: no connection to the server. It prints when the device is back online.';
    case 'protocol':
      return 'Not sent yet: the network answered instead of the server (a Wi-Fi sign-in page?).';
    default:
      return error.body?.message ?? `The server could not print it yet (HTTP ${error.status ?? '?'}).`;
  }
}

export class PrintQueue {
  private readonly db: DockhandDb;
  private readonly token: string;
  private readonly api: ApiClient;
  private readonly online: OnlineSource;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly status: SyncStatusStore;
  private running: Promise<DrainRound> | null = null;
  /** A request came while a round ran: run another, so a job queued meanwhile is not left waiting. */
  private again = false;
  private failures = 0;
  private timer: unknown = null;
  /** Why jobs wait: the server out of reach (any sync that goes through ends it) or a printer. */
  private waitingFor: 'server' | 'printer' | null = null;
  private stopped = false;
  private signedOut = false;
  private cleanups: (() => void)[] = [];

  constructor(options: PrintQueueOptions) {
    this.db = options.db;
    this.token = options.token;
    this.api = createApiClient({ fetch: options.fetch, baseUrl: options.baseUrl });
    this.online = options.online ?? browserOnline;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.status = options.status ?? useSyncStatus;
  }

  start(): void {
    this.cleanups.push(
      this.online.subscribe((online) => {
        if (online) this.request({ now: true });
      }),
      // A sync that went through reached the server; a printer that was off keeps its backoff.
      this.status.subscribe((state, previous) => {
        if (state.lastSyncAt !== previous.lastSyncAt) this.request({ now: this.waitingFor === 'server' });
      }),
    );
    // A job queued (here or in another tab) starts a round at once; a round's own updates do not.
    let known = new Set<string>();
    const subscription: Subscription = liveQuery(() => this.db.printJobs.where('status').equals('queued').primaryKeys()).subscribe({
      next: (ids) => {
        const fresh = ids.some((id) => !known.has(id));
        known = new Set(ids);
        if (fresh) this.request({ now: true });
      },
      error: (error: unknown) => console.error('Could not read the print queue', error),
    });
    this.cleanups.push(() => subscription.unsubscribe());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  /**
   * Asks for a round; a running round is followed by another. While a backoff waits, only `now`
   * (a new job, the device back online) cuts it short.
   */
  request(options: { now?: boolean } = {}): void {
    if (this.stopped || this.signedOut || !this.online.isOnline()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== null) {
      if (!options.now) return;
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    void this.drain();
  }

  /** Sends every queued job it can, oldest first. Never throws. */
  drain(): Promise<DrainRound> {
    this.running ??= this.rounds().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async rounds(): Promise<DrainRound> {
    const total: DrainRound = { printed: 0, failed: 0, waiting: 0 };
    do {
      this.waitingFor = null;
      this.again = false;
      const round = await this.round();
      total.printed += round.printed;
      total.failed += round.failed;
      total.waiting = round.waiting;
    } while (this.again && !this.stopped && !this.signedOut);
    this.scheduleRetry(total.waiting);
    return total;
  }

  private async round(): Promise<DrainRound> {
    const result: DrainRound = { printed: 0, failed: 0, waiting: 0 };
    try {
      const cutoff = this.clock.now() - FINISHED_KEPT_MS;
      await this.db.printJobs.filter((job) => job.status !== 'queued' && (job.finishedAt ?? job.createdAt) < cutoff).delete();
      const queued = await this.db.printJobs.where('status').equals('queued').sortBy('createdAt');
      // A printer that could not be reached keeps its later jobs back, so its labels print in order.
      const down = new Set<string>();
      for (const [index, job] of queued.entries()) {
        if (this.stopped || down.has(job.printer)) {
          result.waiting += 1;
          continue;
        }
        const outcome = await this.send(job);
        if (outcome === 'printed') result.printed += 1;
        else if (outcome === 'failed') result.failed += 1;
        else if (outcome === 'printer-down') {
          down.add(job.printer);
          this.waitingFor ??= 'printer';
          result.waiting += 1;
        } else {
          // No way to the server, or no session: the rest wait too.
          this.waitingFor = 'server';
          result.waiting += queued.length - index;
          break;
        }
      }
    } catch (error) {
      console.error('Printing from the queue failed', error);
      this.waitingFor = 'server';
      result.waiting = await this.db.printJobs.where('status').equals('queued').count().catch(() => 0);
    }
    return result;
  }

  /** Backs off while jobs wait (the printer off, the server down); any trigger cuts the wait short. */
  private scheduleRetry(waiting: number): void {
    if (waiting === 0) {
      this.failures = 0;
      this.waitingFor = null;
      return;
    }
    if (this.stopped || this.signedOut || this.timer !== null) return;
    this.failures += 1;
    const ceiling = Math.min(PRINT_BACKOFF_CAP_MS, PRINT_BACKOFF_BASE_MS * 2 ** (this.failures - 1));
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.request();
    }, Math.floor(ceiling / 2 + (this.random() * ceiling) / 2));
  }

  private async send(job: PrintJob): Promise<SendOutcome> {
    try {
      const printed = await this.api.request(printJobEndpoint, {
        token: this.token,
        body: { id: job.id, printer: job.printer, orderId: job.orderId, carton: job.carton, copies: job.copies },
      });
      // Only the protocol's answer for this job counts.
      if (printed.id === job.id) {
        await this.finish(job.id, { status: 'printed', finishedAt: this.clock.now() });
        return 'printed';
      }
      await this.wait(job, 'Not sent yet: the server answered for another job.');
      return 'offline';
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      if (caught.kind === 'unauthorized') {
        // The session ended: nothing more until the user signs in again (a new queue).
        this.signedOut = true;
        return 'signed-out';
      }
      if (caught.kind === 'forbidden' || caught.kind === 'conflict' || caught.kind === 'refused') {
        await this.finish(job.id, { status: 'failed', finishedAt: this.clock.now(), lastError: caught.message });
        return 'failed';
      }
      await this.wait(job, waitingReason(caught));
      return caught.kind === 'server' ? 'printer-down' : 'offline';
    }
  }

  /** Records an outcome, unless the job was cancelled meanwhile. */
  private async finish(id: string, changes: Partial<PrintJob>): Promise<void> {
    await this.db.printJobs.update(id, changes);
  }

  private async wait(job: PrintJob, reason: string): Promise<void> {
    await this.db.printJobs.update(job.id, { attempts: job.attempts + 1, lastError: reason });
  }
}

/** Keeps one print queue running for the stored session, the way `bindPhotoUploader` keeps the uploader. */
export function bindPrintQueue(
  db: DockhandDb,
  session: Observable<StoredSession | null>,
  options: Omit<PrintQueueOptions, 'db' | 'token'> = {},
): () => void {
  return runPerSession(session, 'printing', (token) => new PrintQueue({ ...options, db, token }), () => undefined);
}
