// When allocation runs: just after an order arrives or stock lands in a pickable bin, and on a
// timer that picks up whatever an API server that stopped mid-way left behind. The work itself
// is durable (orders wait in the table as `open` or `backordered`), so a crash after an intake's
// answer loses nothing: the next run, on any server, finds the order waiting.
import type { Db } from '../db/index';
import { BackgroundPasses, type BackgroundOptions } from '../background-passes';
import { allocateOwner, DEFAULT_ALLOCATION, ownersWaiting, type AllocationRun, type AllocationSettings } from './allocate';

export interface RunnerOptions extends Partial<BackgroundOptions> {
  today: () => string;
  now?: () => string;
  settings?: AllocationSettings;
  log?: { error(details: Record<string, unknown>, message: string): void };
}

/** Every owner with waiting orders. */
const ALL = '*';

export class AllocationRunner {
  /** Owners asked for since the last pass began (`ALL`: every owner with waiting orders). */
  private readonly wanted = new Set<string>();
  private readonly passes: BackgroundPasses;
  /** Runs that placed orders, newest last (a few, for tests and the log). */
  readonly recent: AllocationRun[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: RunnerOptions,
  ) {
    this.passes = new BackgroundPasses(() => this.pass(), { sweepMs: options.sweepMs ?? 30_000, background: options.background });
  }

  /** Starts the sweep timer, and a first sweep for what waited while no server ran. */
  start(): void {
    this.passes.start();
  }

  /** Asks for a run for `ownerId`, or for every owner with waiting orders; requests coalesce. */
  request(ownerId: string = ALL): void {
    this.wanted.add(ownerId);
    this.passes.request();
  }

  /** Runs what was requested, and resolves once nothing is wanted and nothing runs. */
  settle(): Promise<void> {
    return this.passes.settle();
  }

  async stop(): Promise<void> {
    this.wanted.clear();
    await this.passes.stop();
  }

  private async pass(): Promise<void> {
    // A sweep (a request without an owner) asks for every owner; the sweep timer's too.
    const everyone = this.wanted.has(ALL) || this.wanted.size === 0;
    const named = [...this.wanted];
    this.wanted.clear();
    const owners = everyone ? await this.safely(() => ownersWaiting(this.db), []) : named;
    for (const ownerId of owners) await this.safely(() => this.allocatePages(ownerId), undefined);
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
