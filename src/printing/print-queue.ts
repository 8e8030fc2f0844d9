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
import { liveQuery, type Observable } from 'dexie';
import { MAX_PRINT_COPIES } from '../domain/printing';
import type { DockhandDb, PrintJob, StoredSession } from '../storage/db';
import { ApiError } from '../sync/api-client';
import { BackgroundSender, type BackgroundSenderOptions } from '../sync/background-sender';
import { printJobEndpoint } from '../sync/endpoints';
import { runPerSession } from '../sync/per-session';

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

export type PrintQueueOptions = BackgroundSenderOptions;

export interface DrainRound {
  printed: number;
  failed: number;
  /** Jobs still queued after the round. */
  waiting: number;
}

/** What one send did to its job: `offline` stops the round, `printer-down` skips that printer's later jobs. */
type SendOutcome = 'printed' | 'failed' | 'printer-down' | 'offline' | 'signed-out';

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

export class PrintQueue extends BackgroundSender<DrainRound> {
  /** Why jobs wait: the server out of reach (any sync that goes through ends it) or a printer. */
  private waitingFor: 'server' | 'printer' | null = null;
  /** The queued jobs last seen: a new one starts a round at once; a round's own updates do not. */
  private known = new Set<string>();

  constructor(options: PrintQueueOptions) {
    super(options, { baseMs: PRINT_BACKOFF_BASE_MS, capMs: PRINT_BACKOFF_CAP_MS, jitter: 'half' });
  }

  protected watch() {
    return liveQuery(() => this.db.printJobs.where('status').equals('queued').primaryKeys());
  }

  protected isNews(value: unknown): boolean {
    const ids = value as string[];
    const fresh = ids.some((id) => !this.known.has(id));
    this.known = new Set(ids);
    return fresh;
  }

  /** A sync that went through reached the server; a printer that was off keeps its backoff. */
  protected override syncEndsWait(): boolean {
    return this.waitingFor === 'server';
  }

  protected merge(total: DrainRound | null, next: DrainRound): DrainRound {
    return total ? { printed: total.printed + next.printed, failed: total.failed + next.failed, waiting: next.waiting } : next;
  }

  /** Sends every queued job it can, oldest first. Never throws. */
  drain(): Promise<DrainRound> {
    return this.run();
  }

  protected async round(): Promise<{ result: DrainRound; waiting: boolean }> {
    this.waitingFor = null;
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
    if (result.waiting === 0) this.waitingFor = null;
    return { result, waiting: result.waiting > 0 };
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
