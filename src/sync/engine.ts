// The sync engine: pushes the outbox in sequence order, then pulls to the end of the feed, one
// pusher across tabs. Only a well-formed answer counts: a 401, a 5xx, a network error or a 200
// that is not the protocol's JSON (a captive portal's login page) leaves the outbox as it was
// and schedules a retry with exponential backoff and full jitter. A push that keeps failing is
// never silent: the status says so (`notSent`), and the server hears of it (docs/protocol.md).
import { liveQuery, type Subscription } from 'dexie';
import { MAX_PUSH_BATCH, SequenceConflict, type MutationResult } from '../domain/sync-protocol';
import { pendingReportHeaders, STUCK_AFTER_MS, type PendingReport } from '../domain/device-health';
import { APP_VERSION } from './app-version';
import { SYNC_BACKFILL_HEADER, SYNC_SCHEMA, SYNC_SCHEMA_HEADER } from '../domain/sync-protocol';
import type { MutationEnvelope } from '../domain/mutations';
import type { DockhandDb, OutboxEntry } from '../storage/db';
import { getMeta, setMeta } from '../storage/meta';
import { countPending, localDate } from '../storage/outbox';
import { ApiError, createApiClient, type AnswerOf, type ApiClient, type Endpoint, type RequestOptions } from './api-client';
import { pullEndpoint, pushEndpoint } from './endpoints';
import { applyPullPage, applyPushResults, BadRowError, preparePullPage, SessionChangedError, type PreparedPage } from './rebase';
import { useSyncStatus, type NotSent, type SyncStatusState, type SyncStatusStore } from './status-store';

/** Mutations per push request: the server's limit. */
export const PUSH_BATCH = MAX_PUSH_BATCH;
/** Rows per pull page once the first load is done. */
export const PULL_PAGE = 1000;
/**
 * Rows per pull page during the first load, written with bulkPut per table: fewer, larger
 * transactions, while the next page is fetched (the server's MAX_PULL_LIMIT).
 */
export const INITIAL_PULL_PAGE = 10_000;
/** First retry delay after a failure; it doubles per failure up to `BACKOFF_CAP_MS`. */
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;
/**
 * Retries of a queue the server keeps refusing (`notSent.stuck`) back off up to this instead:
 * slowly, never given up, each between half this ceiling and all of it.
 */
export const STUCK_BACKOFF_CAP_MS = 5 * 60_000;
export { STUCK_AFTER_MS };
/**
 * After a scan the push waits this long for the next one: a burst of scans goes in one push after
 * its last scan, instead of a push and a pull competing with every scan's own transaction.
 */
export const SCAN_PUSH_DELAY_MS = 1000;
/** …but never longer than this after the burst's first unsent scan (a picker may scan for minutes). */
export const SCAN_PUSH_MAX_DELAY_MS = 10_000;
/** How often to try again while anything waits in the outbox, after a successful sync. */
export const PENDING_INTERVAL_MS = 15_000;
/**
 * How often an idle device pulls: pick lists that allocation builds, and lists a supervisor holds
 * or cancels, reach an open screen within this without anyone touching it.
 */
export const IDLE_PULL_INTERVAL_MS = 30_000;
export { REQUEST_TIMEOUT_MS } from './api-client';
/** Pulls in one sync at most that only fetch results still missing (the server hands out 1000 per pull). */
const RESULT_ROUNDS = 5;
/** The oldest age a report carries (the server reads at most nine digits). */
const MAX_REPORTED_AGE_S = 999_999_999;

export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OnlineSource {
  isOnline(): boolean;
  /** Calls back on every `online` / `offline` change; answers an unsubscribe. */
  subscribe(listener: (online: boolean) => void): () => void;
}

/** Runs `task` while holding the one sync lock shared by every tab of the app. */
export type SyncLock = <T>(task: () => Promise<T>) => Promise<T>;

export interface SyncEngineOptions {
  db: DockhandDb;
  /** The session's bearer token. A new session gets a new engine. */
  token: string;
  fetch?: typeof fetch;
  /** Prefix for the API paths; '' on the app's own origin. */
  baseUrl?: string;
  clock?: Clock;
  /** In [0, 1): the jitter source. */
  random?: () => number;
  online?: OnlineSource;
  /** Calls back whenever the page becomes visible again; answers an unsubscribe. */
  onVisible?: (listener: () => void) => () => void;
  lock?: SyncLock;
  status?: SyncStatusStore;
  /** Today at the warehouse, for re-applying pending mutations. */
  today?: () => string;
  /** Asks the browser to keep offline data: true granted, false refused, undefined unsupported. */
  persist?: () => Promise<boolean | undefined>;
}

export type SyncErrorKind = 'offline' | 'network' | 'auth' | 'server' | 'protocol' | 'sequence' | 'session';

export class SyncError extends Error {
  override name = 'SyncError';
  /** `status`: the HTTP status of an answer that was not a success; absent when none came. */
  constructor(readonly kind: SyncErrorKind, message: string, readonly status?: number) {
    super(message);
  }
}

/** What an API failure means to sync; the messages are the ones the status shows. */
function syncErrorOf(error: ApiError): SyncError {
  switch (error.kind) {
    case 'unreachable':
    case 'timeout':
    case 'aborted':
      // No answer, a timeout, or a connection cut mid-body: the outcome is unknown, and the
      // server's stored results settle it on a later push or pull.
      return new SyncError('network', 'The server could not be reached.');
    case 'unauthorized':
      return new SyncError('auth', 'Your session has ended. Sign in again; unsent scans are kept.');
    case 'conflict': {
      // The device lost mutations it had numbered, or reused a number: never renumber silently.
      const conflict = SequenceConflict.safeParse(error.body);
      return new SyncError(
        'sequence',
        conflict.success
          ? `Sync stopped: ${conflict.data.error} (the server expects sequence ${conflict.data.expectedSeq}). Tell a supervisor.`
          : `Sync stopped: sequence conflict (HTTP 409). Tell a supervisor.`,
        409,
      );
    }
    case 'protocol':
      return new SyncError('protocol', 'Unexpected answer from the server. Are you on the warehouse network?');
    case 'forbidden':
    case 'refused':
    case 'server':
      return new SyncError('server', `The server answered HTTP ${error.status}. Retrying.`, error.status);
  }
}

/** A refusal of the request itself: the same push gets it again, so it is not retried at pace. */
function refusedForGood(error: SyncError): boolean {
  const status = error.status ?? 0;
  return status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429;
}

/** Whether a pull is worth trying after a push failed this way: not once the session is over. */
function pullsAfter(caught: unknown): boolean {
  if (caught instanceof SessionChangedError) return false;
  return !(caught instanceof SyncError && (caught.kind === 'auth' || caught.kind === 'session'));
}

export type SyncOutcome = { ok: true } | { ok: false; error: SyncError };

type Trigger = 'start' | 'online' | 'visible' | 'submitted';

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** `navigator.locks` where the browser has it (one pusher across tabs); otherwise just run. */
export const webLock: SyncLock = <T>(task: () => Promise<T>): Promise<T> => {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request('dockhand-sync', task) as Promise<T>) : task();
};

export const browserOnline: OnlineSource = {
  isOnline: () => (globalThis.navigator as Navigator | undefined)?.onLine ?? true,
  subscribe(listener) {
    if (typeof window === 'undefined') return () => {};
    const online = () => listener(true);
    const offline = () => listener(false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  },
};

function browserVisible(listener: () => void): () => void {
  if (typeof document === 'undefined') return () => {};
  const onChange = () => {
    if (document.visibilityState === 'visible') listener();
  };
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}

async function browserPersist(): Promise<boolean | undefined> {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  if (!storage?.persist) return undefined;
  if (await storage.persisted?.()) return true;
  return storage.persist();
}

/** A pull page as fetched: checked, and the cursor it was requested with. */
type Requested = PreparedPage & { after: string; /** The page carries the backfill the app asked for. */ backfilled?: boolean };

/** `promise`, with its rejection marked handled: it may be dropped unread after another failure. */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function envelopeOf(entry: OutboxEntry): MutationEnvelope {
  const { id, seq, type, version, args, clientTime } = entry;
  return { id, seq, type, version, args, clientTime };
}

export class SyncEngine {
  private readonly db: DockhandDb;
  private readonly token: string;
  private readonly api: ApiClient;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly online: OnlineSource;
  private readonly onVisible: (listener: () => void) => () => void;
  private readonly lock: SyncLock;
  private readonly status: SyncStatusStore;
  private readonly today: () => string;
  private readonly persist: () => Promise<boolean | undefined>;

  private running: Promise<SyncOutcome> | null = null;
  private rerun = false;
  /** Listening to triggers (between `start` and `stop`). */
  private active = false;
  /** Stopped for good: no more syncs or timers from this engine. */
  private disposed = false;
  private failures = 0;
  private timer: unknown = null;
  /** The push waiting for a burst of scans to end (`SCAN_PUSH_DELAY_MS`), and when the burst began. */
  private scanTimer: unknown = null;
  private burstStartedAt: number | null = null;
  private retryAt: number | null = null;
  private cleanups: (() => void)[] = [];
  private lastPending = 0;
  /** The oldest mutation the last push carried. */
  private headSeq = 0;
  /** The first failed push since the last one that went through, and the oldest mutation it carried. */
  private failing: { since: number; headSeq: number } | null = null;

  constructor(options: SyncEngineOptions) {
    this.db = options.db;
    this.token = options.token;
    this.api = createApiClient({ fetch: options.fetch, baseUrl: options.baseUrl });
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.online = options.online ?? browserOnline;
    this.onVisible = options.onVisible ?? browserVisible;
    this.lock = options.lock ?? webLock;
    this.status = options.status ?? useSyncStatus;
    this.today = options.today ?? (() => localDate(new Date(this.clock.now())));
    this.persist = options.persist ?? browserPersist;
  }

  /** The scheduled retry after failures: how many in a row and the delay chosen. */
  get backoff(): { failures: number; delayMs: number } | null {
    return this.retryAt === null ? null : { failures: this.failures, delayMs: this.retryAt - this.clock.now() };
  }

  /** Starts listening to every trigger and syncs once. */
  start(): void {
    if (this.active || this.disposed) return;
    this.active = true;
    this.setStatus({ online: this.online.isOnline(), needsSignIn: false });
    this.cleanups.push(
      this.online.subscribe((online) => {
        this.setStatus({ online });
        if (online) this.requestSync('online');
      }),
      this.onVisible(() => this.requestSync('visible')),
    );
    // The outbox count, from any tab: the indicator's "N pending", and a push after each scan.
    const subscription: Subscription = liveQuery(() => countPending(this.db)).subscribe({
      next: (count) => {
        this.setStatus({ pendingCount: count });
        const grew = count > this.lastPending;
        this.lastPending = count;
        if (grew) this.requestSync('submitted');
      },
      error: (error: unknown) => console.error('Could not count the outbox', error),
    });
    this.cleanups.push(() => subscription.unsubscribe());
    // Rejections not yet dealt with: "All synced" is not all done while one waits.
    const problems: Subscription = liveQuery(() => this.db.problems.where('status').equals('open').count()).subscribe({
      next: (count) => this.setStatus({ openProblems: count }),
      error: (error: unknown) => console.error('Could not count the problems', error),
    });
    this.cleanups.push(() => problems.unsubscribe());
    // The last sync this device made, as stored: an offline reload still says when it was.
    void getMeta(this.db, 'lastSyncAt')
      .then((stored) => {
        if (stored !== undefined && stored !== null && this.status.getState().lastSyncAt === null) this.setStatus({ lastSyncAt: stored });
      })
      .catch(() => undefined);
    void this.requestPersistence();
    this.requestSync('start');
  }

  stop(): void {
    this.active = false;
    this.disposed = true;
    this.clearTimer();
    this.clearScanTimer();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  /**
   * Asks for a sync. A scan does not cut a backoff short (the timer will come); start, `online`
   * and visibility do. After a scan the sync waits for the burst to end (`SCAN_PUSH_DELAY_MS`).
   * A request while a sync runs makes it run once more afterwards.
   */
  requestSync(trigger: Trigger): void {
    if (this.disposed) return;
    if (this.status.getState().needsSignIn) return;
    if (trigger === 'submitted') {
      if (this.retryAt === null) this.syncAfterBurst();
      return;
    }
    if (this.running) {
      this.rerun = true;
      return;
    }
    void this.syncNow();
  }

  /** (Re)starts the wait for the end of a burst of scans; then syncs, or runs once more after the running sync. */
  private syncAfterBurst(): void {
    const now = this.clock.now();
    this.burstStartedAt ??= now;
    const delay = Math.max(0, Math.min(SCAN_PUSH_DELAY_MS, this.burstStartedAt + SCAN_PUSH_MAX_DELAY_MS - now));
    if (this.scanTimer !== null) this.clock.clearTimeout(this.scanTimer);
    this.scanTimer = this.clock.setTimeout(() => {
      this.scanTimer = null;
      this.burstStartedAt = null;
      if (this.disposed || this.retryAt !== null || this.status.getState().needsSignIn) return;
      if (this.running) this.rerun = true;
      else void this.syncNow();
    }, delay);
  }

  private clearScanTimer(): void {
    if (this.scanTimer !== null) this.clock.clearTimeout(this.scanTimer);
    this.scanTimer = null;
    this.burstStartedAt = null;
  }

  /** One full sync: push everything pending, then pull to the end. Never throws. */
  syncNow(): Promise<SyncOutcome> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.clearTimer();
    // This sync pushes every scan committed so far.
    this.clearScanTimer();
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.rerun && !this.disposed && this.retryAt === null) {
        this.rerun = false;
        void this.syncNow();
      }
      this.rerun = false;
    });
    return this.running;
  }

  private async cycle(): Promise<SyncOutcome> {
    if (!this.online.isOnline()) {
      this.setStatus({ online: false });
      return { ok: false, error: new SyncError('offline', 'Offline') };
    }
    this.setStatus({ syncing: true });
    // A failed push still pulls: the pull reports what waits here to the supervisor, brings any
    // results the push's lost answer held, and tells a server that refuses from one not reached.
    let pushFailure: unknown = null;
    let pulled = false;
    try {
      await this.lock(async () => {
        try {
          await this.pushAll();
        } catch (caught) {
          if (!pullsAfter(caught)) throw caught;
          pushFailure = caught;
        }
        try {
          await this.pullAll();
          pulled = true;
        } catch (caught) {
          // After a failed push, that failure is the news, unless this one ends the session.
          if (pushFailure === null || !pullsAfter(caught)) throw caught;
        }
      });
      // A push whose answer was lost is settled by the pull after it: with nothing left to send,
      // nothing failed to go out, and the sync is a success.
      if (pushFailure !== null && pulled && (await countPending(this.db)) === 0) {
        pushFailure = null;
        this.sentAll();
      }
      if (pushFailure !== null) throw pushFailure;
      this.failures = 0;
      const lastSyncAt = this.clock.now();
      await setMeta(this.db, 'lastSyncAt', lastSyncAt);
      this.setStatus({ online: true, lastError: null, lastSyncAt, initialLoad: null });
      this.schedule((await this.db.outbox.count()) > 0 ? PENDING_INTERVAL_MS : IDLE_PULL_INTERVAL_MS, false);
      return { ok: true };
    } catch (caught) {
      return { ok: false, error: this.fail(caught, { pushFailed: caught === pushFailure, serverReached: pulled }) };
    } finally {
      this.setStatus({ syncing: false });
    }
  }

  /** `pushFailed`: the error is the push's; `serverReached`: a pull went through all the same. */
  private fail(caught: unknown, context: { pushFailed: boolean; serverReached: boolean }): SyncError {
    const error =
      caught instanceof SyncError
        ? caught
        : caught instanceof SessionChangedError
          ? new SyncError('session', caught.message)
          : caught instanceof BadRowError
            ? new SyncError('protocol', caught.message)
            : new SyncError('server', caught instanceof Error ? caught.message : String(caught));
    if (!(caught instanceof SyncError)) console.error('Sync failed', caught);
    if (error.kind === 'session') {
      // Signed out or another user: this engine's work is over.
      this.stop();
      return error;
    }
    if (error.kind === 'auth') {
      // Retrying a dead token is pointless; the outbox waits for the user to sign in again.
      this.setStatus({ needsSignIn: true, lastError: error.message });
      this.clearTimer();
      return error;
    }
    if (error.kind === 'sequence') console.error(error.message);
    this.failures += 1;
    const exponential = BACKOFF_BASE_MS * 2 ** (this.failures - 1);
    const notSent = context.pushFailed ? this.notSent(error, context.serverReached) : null;
    if (notSent?.stuck && notSent.reason === 'refused') {
      // Slow, never given up. No connection is not slowed: the next aisle may have Wi-Fi.
      const ceiling = Math.min(STUCK_BACKOFF_CAP_MS, Math.max(BACKOFF_CAP_MS, exponential));
      this.schedule(Math.floor(ceiling / 2 + (this.random() * ceiling) / 2), true);
    } else {
      this.schedule(Math.floor(this.random() * Math.min(BACKOFF_CAP_MS, exponential)), true);
    }
    this.setStatus(context.pushFailed ? { lastError: error.message, notSent } : { lastError: error.message });
    return error;
  }

  /** What a failed push means for the oldest pending mutation: since when, why, and whether stuck. */
  private notSent(error: SyncError, serverReached: boolean): NotSent {
    const now = this.clock.now();
    // A pull that settled the mutation at the head (its push's answer was lost) is progress too.
    if (this.failing?.headSeq !== this.headSeq) this.failing = { since: now, headSeq: this.headSeq };
    const { since } = this.failing;
    return {
      since,
      reason: error.status !== undefined || serverReached ? 'refused' : 'unreachable',
      stuck: refusedForGood(error) || now - since >= STUCK_AFTER_MS,
    };
  }

  /** A push went through, or there was nothing to push: nothing is failing to go out. */
  private sentAll(): void {
    this.failing = null;
    if (this.status.getState().notSent !== null) this.setStatus({ notSent: null });
  }

  /** What the outbox holds unsent, for the server to show the supervisor (docs/protocol.md). */
  private async pendingReport(): Promise<PendingReport> {
    const pending = this.db.outbox.where('status').equals('pending');
    const [count, oldest] = await Promise.all([pending.count(), pending.first()]);
    const madeAt = oldest ? Date.parse(oldest.clientTime) : NaN;
    const ageSeconds = Number.isFinite(madeAt) ? Math.floor((this.clock.now() - madeAt) / 1000) : 0;
    return { pending: count, oldestAgeSeconds: Math.min(MAX_REPORTED_AGE_S, Math.max(0, ageSeconds)), appVersion: APP_VERSION };
  }

  private async pushAll(): Promise<void> {
    for (;;) {
      const batch = await this.db.outbox
        .orderBy('seq')
        .filter((entry) => entry.status === 'pending')
        .limit(PUSH_BATCH)
        .toArray();
      if (batch.length === 0) {
        this.sentAll();
        return;
      }
      this.headSeq = batch[0]!.seq;
      const report = await this.pendingReport();
      const { results } = await this.request(pushEndpoint, { body: { mutations: batch.map(envelopeOf) }, headers: pendingReportHeaders(report) });
      const expected = new Set(batch.map((entry) => entry.seq));
      const answered = results.filter((result: MutationResult) => expected.has(result.seq));
      if (answered.length !== batch.length) {
        throw new SyncError('protocol', `The server answered ${answered.length} of ${batch.length} mutations.`);
      }
      await applyPushResults(this.db, answered, this.applyOptions());
      this.sentAll();
    }
  }

  /**
   * Pulls to the end of the feed. While one page commits, the next is already requested, checked
   * and queued as the next transaction: IndexedDB runs them in order, and each page is written
   * only if the cursor it was requested with is the stored one (`applyPullPage` `after`), so a
   * page never lands over one that failed before it: after a failure the page queued behind it
   * aborts on its own, and the next sync starts again from the stored cursor.
   */
  private async pullAll(): Promise<void> {
    const initial = !(await getMeta(this.db, 'initialLoadDone'));
    const limit = initial ? INITIAL_PULL_PAGE : PULL_PAGE;
    const report = await this.pendingReport();
    // Tables an upgrade taught this app: the first page brings their rows in full (db.ts version 7).
    let backfill = (await getMeta(this.db, 'backfill')) ?? [];
    const fetchPage = async (cursor: string, resultsAfter: number): Promise<Requested> => {
      const asked = backfill;
      backfill = [];
      const page = await this.request(pullEndpoint, {
        query: { cursor, limit, resultsAfter },
        headers: {
          ...pendingReportHeaders(report),
          [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA),
          ...(asked.length > 0 ? { [SYNC_BACKFILL_HEADER]: asked.join(',') } : {}),
        },
      });
      return { after: cursor, backfilled: asked.length > 0, ...preparePullPage(page) };
    };
    let rows = 0;
    let resultRounds = 0;
    /** The page after the one being written, already requested: one request in flight ahead. */
    let ahead: Promise<Requested> | null = null;
    /** The page before, still committing. */
    let committing: Promise<number> | null = null;
    let resultsAfter = 0;
    if (initial) this.setStatus({ initialLoad: { rows } });
    for (;;) {
      if (!ahead) {
        resultsAfter = (await getMeta(this.db, 'resultsAfter')) ?? 0;
        ahead = fetchPage((await getMeta(this.db, 'cursor')) ?? '', resultsAfter);
      }
      const pulled: Requested = await ahead;
      const { page } = pulled;
      // The next request is the one the next turn would send: the cursor stored with this page,
      // and resultsAfter unchanged (it only moves on the last page, after which nothing is ahead).
      ahead = page.hasMore ? settled(fetchPage(page.cursor, resultsAfter)) : null;
      const applying = settled(
        applyPullPage(this.db, pulled, { ...this.applyOptions(), after: pulled.after }).then(async (count) => {
          if (pulled.backfilled) await setMeta(this.db, 'backfill', []);
          return count;
        }),
      );
      if (committing) rows += await committing;
      committing = applying;
      if (initial) this.setStatus({ initialLoad: { rows } });
      if (page.hasMore) continue;
      rows += await committing;
      committing = null;
      if (initial) {
        this.setStatus({ initialLoad: { rows } });
        await setMeta(this.db, 'initialLoadDone', true);
      }
      // The server hands out a bounded number of results per pull: ask again while it holds more.
      const unanswered = await this.db.outbox.where('seq').below(page.nextSeq).count();
      if (page.results.length > 0 && unanswered > 0 && ++resultRounds < RESULT_ROUNDS) continue;
      return;
    }
  }

  /** One request to the server; every failure becomes the `SyncError` the status and backoff read. */
  private async request<E extends Endpoint>(endpoint: E, options: RequestOptions<E>): Promise<AnswerOf<E>> {
    try {
      return await this.api.request(endpoint, { ...options, token: this.token });
    } catch (caught) {
      throw caught instanceof ApiError ? syncErrorOf(caught) : caught;
    }
  }

  private applyOptions() {
    return { today: this.today(), now: new Date(this.clock.now()), token: this.token };
  }

  private schedule(ms: number, isBackoff: boolean): void {
    this.clearTimer();
    if (this.disposed) return;
    this.retryAt = isBackoff ? this.clock.now() + ms : null;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.retryAt = null;
      void this.syncNow();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
  }

  private async requestPersistence(): Promise<void> {
    try {
      const granted = await this.persist();
      this.setStatus({ persistence: granted === undefined ? 'unsupported' : granted ? 'granted' : 'refused' });
    } catch {
      this.setStatus({ persistence: 'refused' });
    }
  }

  private setStatus(patch: Partial<SyncStatusState>): void {
    this.status.setState(patch);
  }
}
