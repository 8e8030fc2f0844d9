// What the device sends beside the sync engine, never in its way (damage photos, carton labels):
// rounds of sends that start when work is stored, when the device comes online and after every
// completed sync, and back off with jitter while work waits. One round runs at a time; a request
// during a round runs another after it, so nothing queued meanwhile is left waiting. A 401 stops
// the sender until the next sign-in (a new sender). Subclasses say what a round sends and what
// the stored work to watch is.
import { type Observable, type Subscription } from 'dexie';
import type { DockhandDb } from '../storage/db';
import { createApiClient, type ApiClient } from './api-client';
import { browserOnline, type Clock, type OnlineSource } from './engine';
import { useSyncStatus, type SyncStatusStore } from './status-store';

export interface BackgroundSenderOptions {
  db: DockhandDb;
  /** The session's bearer token. */
  token: string;
  fetch?: typeof fetch;
  baseUrl?: string;
  online?: OnlineSource;
  clock?: Clock;
  random?: () => number;
  /** Completed syncs (its `lastSyncAt`) start a round. */
  status?: SyncStatusStore;
}

export interface Backoff {
  /** The first wait's ceiling; it doubles per round that leaves work waiting, up to `capMs`. */
  baseMs: number;
  capMs: number;
  /** `full`: anywhere up to the ceiling; `half`: between half and all of it. */
  jitter: 'full' | 'half';
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export abstract class BackgroundSender<Round> {
  protected readonly db: DockhandDb;
  protected readonly token: string;
  protected readonly api: ApiClient;
  protected readonly clock: Clock;
  private readonly online: OnlineSource;
  private readonly random: () => number;
  private readonly status: SyncStatusStore;
  private running: Promise<Round> | null = null;
  private again = false;
  private failures = 0;
  private timer: unknown = null;
  protected stopped = false;
  /** The session ended (a 401): nothing more is sent by this sender. */
  protected signedOut = false;
  private cleanups: (() => void)[] = [];

  constructor(
    options: BackgroundSenderOptions,
    private readonly backoff: Backoff,
  ) {
    this.db = options.db;
    this.token = options.token;
    this.api = createApiClient({ fetch: options.fetch, baseUrl: options.baseUrl });
    this.online = options.online ?? browserOnline;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.status = options.status ?? useSyncStatus;
  }

  /** The stored work to watch: a new value starts a round when `isNews` says it brings work. */
  protected abstract watch(): Observable<unknown>;
  protected abstract isNews(value: unknown): boolean;
  /** One pass over the stored work. `waiting`: work left to try again later (the backoff starts). */
  protected abstract round(): Promise<{ result: Round; waiting: boolean }>;
  /** Adds one round's result to the results of the rounds before it in the same run. */
  protected abstract merge(total: Round | null, next: Round): Round;
  /** Whether a completed sync cuts a waiting backoff short (the server was the one out of reach). */
  protected syncEndsWait(): boolean {
    return true;
  }

  start(): void {
    this.cleanups.push(
      this.online.subscribe((online) => {
        if (online) this.request({ now: true });
      }),
      this.status.subscribe((state, previous) => {
        if (state.lastSyncAt !== previous.lastSyncAt) this.request({ now: this.syncEndsWait() });
      }),
    );
    const subscription: Subscription = this.watch().subscribe({
      next: (value) => {
        if (this.isNews(value)) this.request({ now: true });
      },
      error: (error: unknown) => console.error(`Could not watch ${this.constructor.name}'s work`, error),
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
   * Asks for a round; one asked for while a round runs follows it. While a backoff waits, only
   * `now` (new work, the device back online) cuts it short.
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
    void this.run();
  }

  /** Runs rounds until no request came during the last one. Never throws. */
  run(): Promise<Round> {
    this.running ??= this.rounds().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async rounds(): Promise<Round> {
    let total: Round | null = null;
    let waiting: boolean;
    do {
      this.again = false;
      const round = await this.round();
      total = this.merge(total, round.result);
      waiting = round.waiting;
    } while (this.again && !this.stopped && !this.signedOut);
    this.scheduleRetry(waiting);
    return total;
  }

  private scheduleRetry(waiting: boolean): void {
    if (!waiting) {
      this.failures = 0;
      return;
    }
    if (this.stopped || this.signedOut || this.timer !== null) return;
    this.failures += 1;
    const ceiling = Math.min(this.backoff.capMs, this.backoff.baseMs * 2 ** (this.failures - 1));
    const wait = this.backoff.jitter === 'full' ? this.random() * ceiling : ceiling / 2 + (this.random() * ceiling) / 2;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.request();
    }, Math.floor(wait));
  }
}
