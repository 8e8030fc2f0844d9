// When allocation runs: just after an order arrives or stock lands in a pickable bin, and on a
// timer that picks up whatever an API server that stopped mid-way left behind. The work itself
// is durable (orders wait in the table as `open` or `backordered`), so a crash after an intake's
// answer loses nothing: the next run, on any server, finds the order waiting.
import type { Db } from '../db/index';
import { allocateOwner, DEFAULT_ALLOCATION, ownersWaiting, type AllocationRun, type AllocationSettings } from './allocate';

export interface RunnerOptions {
  today: () => string;
  now?: () => string;
  settings?: AllocationSettings;
  /** How often every owner with waiting orders is tried again; 0 for never (tests settle by hand). */
  sweepMs?: number;
  /**
   * False: nothing runs by itself; what was requested runs when `settle()` is awaited. For
   * simulations that replay a seed exactly (test/fault-model), where work in the background
   * would race the requests they order. True by default.
   */
  background?: boolean;
  log?: { error(details: Record<string, unknown>, message: string): void };
}

/** Every owner with waiting orders. */
const ALL = '*';

export class AllocationRunner {
  private readonly wanted = new Set<string>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Runs that placed orders, newest last (a few, for tests and the log). */
  readonly recent: AllocationRun[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: RunnerOptions,
  ) {}

  /** Starts the sweep timer, and a first sweep for what waited while no server ran. */
  start(): void {
    if (this.options.background === false) return;
    const every = this.options.sweepMs ?? 30_000;
    this.request();
    if (every > 0 && !this.timer) {
      this.timer = setInterval(() => this.request(), every);
      this.timer.unref();
    }
  }

  /** Asks for a run for `ownerId`, or for every owner with waiting orders; requests coalesce. */
  request(ownerId: string = ALL): void {
    this.wanted.add(ownerId);
    if (this.options.background !== false) this.run();
  }

  /** Runs what was requested, and resolves once nothing is wanted and nothing runs. */
  async settle(): Promise<void> {
    if (this.wanted.size > 0) this.run();
    while (this.running) await this.running;
  }

  private run(): void {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.wanted.clear();
    await this.settle();
  }

  private async drain(): Promise<void> {
    // Let a burst of requests (a webhook storm, a push of many scans) coalesce into one run.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.wanted.size > 0) {
      const owners = this.wanted.has(ALL) ? await this.safely(() => ownersWaiting(this.db), []) : [...this.wanted];
      this.wanted.clear();
      for (const ownerId of owners) await this.safely(() => this.allocatePages(ownerId), undefined);
    }
  }

  /**
   * One pass over an owner's waiting orders, a page per transaction, most urgent first; the
   * orders a page leaves waiting stay ahead of the next page, which starts after them.
   */
  private async allocatePages(ownerId: string): Promise<void> {
    const settings = this.options.settings ?? DEFAULT_ALLOCATION;
    let skip = 0;
    for (;;) {
      const now = this.options.now?.() ?? new Date().toISOString();
      const run = await allocateOwner(this.db, ownerId, { today: this.options.today(), now, settings, skip });
      if (run.allocated > 0) {
        this.recent.push(run);
        if (this.recent.length > 20) this.recent.shift();
      }
      if (run.considered < settings.ordersPerRun) return;
      skip += run.considered - run.allocated;
      // Let the scans and webhooks queued behind this page through before the next one.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** A failed run is logged and left: its orders still wait, and the next request or sweep tries again. */
  private async safely<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      this.options.log?.error({ err: error }, 'allocation failed; the orders wait for the next run');
      return fallback;
    }
  }
}
