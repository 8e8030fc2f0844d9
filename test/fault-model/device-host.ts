// A simulated handheld: the real Dexie database (on fake-indexeddb), the real screen commands
// that write the outbox, and the real sync engine, its clock, jitter and network injected. A
// restart drops the engine and the connection at any moment and opens the stored database again.
import type { ArgsOf, MutationType } from '../../src/domain/mutations';
import { submitPickMutation } from '../../src/features/pick/commands';
import { submitMoves } from '../../src/features/putaway/commands';
import { submitReceiveMutation } from '../../src/features/receive/commands';
import { DockhandDb, type MetaRow } from '../../src/storage/db';
import { allRows } from '../../src/storage/rows';
import { readSession } from '../../src/storage/session-repo';
import { SyncEngine, type Clock } from '../../src/sync/engine';
import { createSyncStatusStore, type SyncStatusStore } from '../../src/sync/status-store';
import type { SimNetwork } from './network';
import type { Prng } from './prng';
import type { Trace } from './trace';
import { TODAY } from './warehouse';

/** A mutation the device's screen showed as confirmed: it committed to the outbox. */
export interface Confirmed {
  device: number;
  seq: number;
  mutationId: string;
  type: MutationType;
  args: Record<string, unknown>;
}

interface Timer {
  id: number;
  device: number;
  at: number;
  run: () => void;
}

/** Simulated time, shared by every device; timers fire only when the scheduler says so. */
export class WorldClock {
  time: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start: number) {
    this.time = start;
  }

  /** The `Clock` one device's engine sees. */
  forDevice(device: number): Clock {
    return {
      now: () => this.time,
      setTimeout: (run, ms) => {
        const timer = { id: this.nextId++, device, at: this.time + ms, run };
        this.timers.push(timer);
        return timer.id;
      },
      clearTimeout: (handle) => {
        this.timers = this.timers.filter((timer) => timer.id !== handle);
      },
    };
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Runs the earliest timer, moving time up to it; answers its device. */
  fireNext(): number | null {
    const next = this.timers.reduce<Timer | null>((first, timer) => (first === null || timer.at < first.at ? timer : first), null);
    if (!next) return null;
    this.timers = this.timers.filter((timer) => timer !== next);
    this.time = Math.max(this.time, next.at);
    next.run();
    return next.device;
  }

  /** Forgets a device's timers (its process died). */
  dropDevice(device: number): void {
    this.timers = this.timers.filter((timer) => timer.device !== device);
  }
}

export type Operation = 'pick' | 'move' | 'receive';

export class SimDevice {
  db!: DockhandDb;
  engine!: SyncEngine;
  status!: SyncStatusStore;
  /** Which process of this device runs now; bumped by every restart. */
  incarnation = 0;
  private readonly dbName: string;

  constructor(
    readonly index: number,
    readonly scope: readonly string[] | null,
    runId: string,
    private readonly network: SimNetwork,
    private readonly clock: WorldClock,
    private readonly prng: Prng,
    private readonly trace: Trace,
    private readonly confirmed: Confirmed[],
  ) {
    this.dbName = `fault-model-${runId}-d${index}`;
  }

  /** First start: the database as sign-in left it (`meta`: device id, session), nothing synced yet. */
  async install(signedIn: readonly MetaRow[]): Promise<void> {
    const db = new DockhandDb(this.dbName);
    await db.meta.bulkPut([...signedIn]);
    db.close();
    await this.boot();
  }

  /** Opens the stored database and starts a new engine over it (a new process). */
  private async boot(): Promise<void> {
    this.incarnation += 1;
    this.db = new DockhandDb(this.dbName);
    await this.db.open();
    const session = await readSession(this.db);
    if (!session) throw new Error(`Device ${this.index} has no session.`);
    this.status = createSyncStatusStore();
    this.engine = new SyncEngine({
      db: this.db,
      token: session.token,
      fetch: this.network.fetchFor(this.index, this.incarnation),
      clock: this.clock.forDevice(this.index),
      random: () => this.prng.next(),
      online: { isOnline: () => true, subscribe: () => () => undefined },
      onVisible: () => () => undefined,
      lock: (task) => task(),
      status: this.status,
      today: () => TODAY,
      persist: async () => true,
    });
  }

  /** The process dies (kill, crash, reload) wherever it was, and the app starts again. */
  async restart(): Promise<void> {
    this.engine.stop();
    this.clock.dropDevice(this.index);
    this.db.close();
    await this.boot();
  }

  /** A sync trigger the app would fire (visibility regained, `online`). */
  requestSync(): void {
    this.engine.requestSync('visible');
  }

  /** One scan's worth of work, chosen from what this device's view shows; false when it has nothing to do. */
  async operate(operation: Operation): Promise<boolean> {
    const now = new Date(this.clock.time);
    switch (operation) {
      case 'pick': {
        const lines = (await allRows(this.db, 'pickLines')).filter((line) => line.status === 'open' && line.pickedQty + line.shortQty < line.qty);
        if (lines.length === 0) return false;
        const line = this.prng.pick(lines);
        const args: ArgsOf<'pick'> = { pickLineId: line.id, locationId: line.locationId, productId: line.productId, lot: null, qty: this.prng.int(1, line.qty - line.pickedQty - line.shortQty) };
        const outcome = await submitPickMutation(this.db, { type: 'pick', args }, now);
        return this.settle('pick', args, outcome.ok ? null : outcome.message);
      }
      case 'move': {
        const held = (await allRows(this.db, 'stock')).filter((row) => row.qty > 0 && row.lpn === null);
        const bins = (await allRows(this.db, 'locations')).filter((l) => l.type === 'storage' || l.type === 'pick_face');
        if (held.length === 0 || bins.length < 2) return false;
        const from = this.prng.pick(held);
        const to = this.prng.pick(bins.filter((bin) => bin.id !== from.locationId));
        const args: ArgsOf<'move'> = {
          productId: from.productId, fromLocationId: from.locationId, toLocationId: to.id, lot: null, lpn: null,
          qty: this.prng.int(1, from.qty), suggestedLocationId: null, overrideReason: null,
        };
        const outcome = await submitMoves(this.db, { moves: [args], toLocationId: to.id }, now);
        return this.settle('move', args, outcome.ok ? null : outcome.message);
      }
      case 'receive': {
        const receipts = (await allRows(this.db, 'receipts')).filter((receipt) => receipt.status === 'open');
        const lines = (await allRows(this.db, 'receiptLines')).filter((line) => receipts.some((receipt) => receipt.id === line.receiptId));
        if (lines.length === 0) return false;
        const line = this.prng.pick(lines);
        const args: ArgsOf<'receive'> = {
          receiptId: line.receiptId, productId: line.productId, qty: this.prng.int(1, 3), damagedQty: 0, damageReason: null, lot: null, expiry: null, lpn: null,
        };
        const outcome = await submitReceiveMutation(this.db, { type: 'receive', args }, now);
        return this.settle('receive', args, outcome.ok ? null : outcome.message);
      }
    }
  }

  /** Records what the screen showed: a confirmation (the newest outbox entry) or a refusal. */
  private async settle(type: MutationType, args: object, refusal: string | null): Promise<boolean> {
    const summary = `${type} ${JSON.stringify(args)}`;
    if (refusal !== null) {
      this.trace.refusedLocally += 1;
      this.trace.log(`d${this.index} refused on the device: ${summary}: ${refusal}`);
      return true;
    }
    // The command answers after its transaction committed, and nothing answered it since.
    const entry = await this.db.outbox.orderBy('seq').last();
    if (!entry || entry.type !== type) throw new Error(`Device ${this.index}: a confirmed ${type} is not in the outbox.`);
    this.confirmed.push({ device: this.index, seq: entry.seq, mutationId: entry.id, type, args: entry.args });
    this.trace.confirmed += 1;
    this.trace.log(`d${this.index} confirmed seq ${entry.seq}: ${summary}`);
    // What the engine's outbox live query does on a new entry: a push once the burst of scans ends.
    this.engine.requestSync('submitted');
    return true;
  }

  /** Stops the engine and deletes the database (the run is over). */
  async dispose(): Promise<void> {
    this.engine.stop();
    this.clock.dropDevice(this.index);
    this.db.close();
    await this.db.delete();
  }
}
