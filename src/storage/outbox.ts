// Submitting a mutation: the rule decides against the view, and its effects, the shadows of the
// rows they change and the outbox entry are written in one strict-durability transaction over the
// tables its type needs (`mutationScope`). Only after that commits may a screen show the scan as
// confirmed.
import { Dexie } from 'dexie';
import { rejection, type Rejection } from '../domain/errors';
import { cartonId, cartonLineId, stockId, type PickLine, type PickList } from '../domain/entities';
import { currentSchema, currentVersion, type ArgsInputOf, type ArgsOf, type MutationType } from '../domain/mutations';
import { applyMutation } from '../domain/rules/index';
import { todayIn } from '../domain/warehouse-clock';
import type { Actor, Reader, StockQuery } from '../domain/rules/types';
import type { RowChange } from '../domain/apply-effects';
import { rowKey, type DockhandDb, type OutboxEntry, type StoredSession } from './db';
import { dexieReader, sharedReads } from './dexie-reader';
import { getMeta, setMeta } from './meta';
import { ReplayMiss, afterChanges, recordingReader, replayReader, type ReadLog } from './read-replay';
import { stampOf } from './view-version';
import { effectKey, mutationScope, stageEffectChanges } from './view';

export interface SubmitInput<T extends MutationType> {
  type: T;
  /** The intent, as the screen has it; checked against the type's schema before anything runs. */
  args: ArgsInputOf<T>;
  /** Who acts; omitted, the signed-in user on this device (read in the same transaction). */
  actor?: Actor;
  /** Today at the warehouse (`YYYY-MM-DD`); defaults to the scan's date in the warehouse's zone (`warehouseDate`). */
  today?: string;
  /** The time of the scan; defaults to the device's clock. Also the envelope's `clientTime`. */
  now?: Date;
  newId?: () => string;
}

export type SubmitResult =
  | {
      ok: true;
      mutationId: string;
      seq: number;
      /** The view rows the mutation's effects wrote (row null: deleted), as committed. */
      changes: readonly RowChange[];
    }
  | { ok: false; rejection: Rejection };

/** Args a screen built wrongly: a bug, never a rejection to show (the server would refuse the batch). */
export class MalformedMutationError extends Error {
  override name = 'MalformedMutationError';
}

/** The device's local calendar date, `YYYY-MM-DD`. */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * Today at the warehouse: in the zone the server named (`meta.timeZone`, kept by every pull), so
 * the device's expiry rules agree with the server's around midnight; the device's own date only
 * until a first pull has named the zone.
 */
export function warehouseDate(timeZone: string | undefined | null, date: Date): string {
  return timeZone ? todayIn(timeZone, date) : localDate(date);
}

/** The actor a stored session and this device's id stand for. */
export function actorOf(session: StoredSession, deviceId: string): Actor {
  return { userId: session.user.id, deviceId, role: session.user.role, ownerIds: session.user.ownerIds, displayName: session.user.displayName };
}

type Prefetch<T extends MutationType> = (args: ArgsOf<T>, reader: Reader) => Promise<unknown>;

/**
 * The reads a pick-screen rule makes once it has the pick line (rules/pick.ts, unpick.ts,
 * short-pick.ts); `stock` names the stock it takes, given the line and, once read, its list.
 * Dexie promise chains, not async functions: see `dexieReader`.
 */
function prefetchPickLine(
  args: { pickLineId: string },
  reader: Reader,
  stock: (line: PickLine, list: PickList | undefined) => StockQuery | null,
  /** A row the effects will write that the rule does not read, once the list is known. */
  written?: (line: PickLine, list: PickList) => Promise<unknown>,
): Promise<unknown> {
  return reader.get('pickLines', args.pickLineId).then((line) => {
    if (!line) return null;
    const list = reader.get('pickLists', line.pickListId);
    const query = stock(line, undefined);
    return Dexie.Promise.all([
      list.then((found) => {
        const staged = query ? null : stock(line, found);
        return Dexie.Promise.all([staged && reader.stock(staged), found && written?.(line, found)]);
      }),
      reader.get('orderLines', line.orderLineId),
      reader.children('pickLines', line.pickListId),
      query && reader.stock(query),
    ]);
  });
}

/**
 * Per mutation type, the reads its rule will make, started together as soon as their keys are
 * known (the rule then finds them under way, see `sharedReads`): a scan's rule waits for two
 * IndexedDB round trips instead of one per read. A read guessed wrong is only a wasted read.
 */
const PREFETCH: { [T in MutationType]?: Prefetch<T> } = {
  pick: (args, reader) =>
    prefetchPickLine(
      args,
      reader,
      (line) => ({ productId: line.productId, locationId: line.locationId, lot: (line.lot ?? args.lot) ?? undefined, lpn: null }),
      // The units land on the list's staging location: that stock row is written, never read.
      (line, list) => reader.get('stock', stockId(list.stagingLocationId, line.productId, line.lot ?? args.lot ?? null, null)),
    ),
  unpick: (args, reader) =>
    prefetchPickLine(args, reader, (line, list) =>
      list ? { productId: line.productId, locationId: list.stagingLocationId, lot: line.lot ?? undefined, lpn: null } : null,
    ),
  'short-pick': (args, reader) => prefetchPickLine(args, reader, () => null),
  // rules/pack.ts: the order, its lines, its cartons and their lines, the product (serials), and the
  // carton and carton line the effects write, which may not exist yet.
  pack: (args, reader) => {
    const carton = cartonId(args.orderId, args.cartonId ?? '1');
    return Dexie.Promise.all<unknown>([
      reader.get('orders', args.orderId),
      reader.children('orderLines', args.orderId),
      reader.children('cartonLines', args.orderId),
      reader.children('cartons', args.orderId),
      reader.get('products', args.productId),
      reader.get('cartons', carton),
      reader.get('cartonLines', cartonLineId(carton, args.productId, args.lot, args.serial)),
      args.lot !== null ? reader.pickLinesOfOrder(args.orderId) : null,
    ]);
  },
};

/** A submission checked against its schema, with everything but the device's state decided. */
interface Submission<T extends MutationType = MutationType> {
  type: T;
  mutation: Parameters<typeof applyMutation>[0];
  args: ArgsOf<T>;
  /** The caller's actor; undefined: the signed-in user, read with the device's state. */
  actor: Actor | undefined;
  id: string;
  now: Date;
  /** The caller's date; undefined: the scan's date in the warehouse's zone, read with the device's state. */
  today: string | undefined;
}

/**
 * What the device knew when its last submission committed: the rule's reads (read-replay.ts),
 * the keys `shadow` holds, the next sequence number and the actor, as of the view's version
 * (storage/view-version) that commit left. The next submission decides on it first; the
 * transaction that writes checks that the version is still that one.
 */
interface Known {
  log: ReadLog;
  shadowKeys: ReadonlySet<string>;
  nextSeq: number;
  actor: Actor;
  /** `meta.timeZone`: the warehouse's zone, for the scan's date. */
  timeZone: string | undefined;
  /** `meta.viewVersion` as the state above left it. */
  version: string | undefined;
  /** The connection's `unstampedWrites` then. */
  unstamped: number;
}

/** Per database, what its last submission knew (`Known`). */
const known = new WeakMap<DockhandDb, Known>();

/** The known state was not the stored one: the transaction that found it out aborted. */
class StaleKnowledge extends Error {
  override name = 'StaleKnowledge';
}

/** Checks `input` against its type's schema: a typed quantity out of range is a rejection. */
function prepare<T extends MutationType>(input: SubmitInput<T>): { ok: true; submission: Submission<T> } | { ok: false; rejection: Rejection } {
  const parsed = currentSchema(input.type).safeParse(input.args);
  if (!parsed.success) {
    if (parsed.error.issues.every((issue) => issue.path.some((part) => String(part).toLowerCase().endsWith('qty')))) {
      return { ok: false, rejection: rejection('INVALID_QUANTITY', 'Enter a whole number of units, 1 or more.') };
    }
    throw new MalformedMutationError(`${input.type}: ${parsed.error.message}`);
  }
  const now = input.now ?? new Date();
  const submission: Submission<T> = {
    type: input.type,
    mutation: { type: input.type, version: currentVersion(input.type), args: parsed.data } as Parameters<typeof applyMutation>[0],
    args: parsed.data as ArgsOf<T>,
    actor: input.actor,
    id: (input.newId ?? (() => crypto.randomUUID()))(),
    now,
    today: input.today,
  };
  return { ok: true, submission };
}

/**
 * Decides a mutation locally and, when the rules accept it, records it durably: effects on the
 * view, shadows, and the outbox entry with the device's next sequence number, all in one
 * transaction. A rejection writes nothing. A typed quantity out of range is a rejection
 * (INVALID_QUANTITY); other malformed args throw `MalformedMutationError`.
 *
 * When the last submission read what this one's rule reads (the next scan on the same line),
 * the rule decides on those answers at once and the transaction only writes, re-reading them
 * beside its writes and aborting if any changed; otherwise, or then, the rule reads for itself.
 */
export async function submitMutation<T extends MutationType>(db: DockhandDb, input: SubmitInput<T>): Promise<SubmitResult> {
  const prepared = prepare(input);
  if (!prepared.ok) return prepared;
  const { submission } = prepared;
  const last = known.get(db);
  if (last) {
    const replayed = await submitKnown(db, submission, last).catch((error: unknown) => {
      // A read the last submission did not make, or state that changed since: read afresh.
      // Anything else fails again below, where it is reported.
      if (!(error instanceof ReplayMiss || error instanceof StaleKnowledge)) console.warn('Deciding on known state failed', error);
      return null;
    });
    if (replayed) return replayed;
  }
  return submitRead(db, submission);
}

/**
 * Warms what the device knows for a submission the screen expects next (the pick of the line
 * whose bin was just scanned): its rule runs in a read-only transaction and its reads are kept,
 * so the scan that follows starts writing at once. Writes nothing; never throws.
 */
export async function anticipateMutation<T extends MutationType>(db: DockhandDb, input: SubmitInput<T>): Promise<void> {
  try {
    const prepared = prepare(input);
    if (!prepared.ok) return;
    const { submission } = prepared;
    const unstamped = db.unstampedWrites;
    const found = await db.transaction('r', mutationScope(db, submission.type), async (): Promise<Known | null> => {
      const reading = getMeta(db, 'viewVersion');
      const { outcome, log, shadowKeys, actor, nextSeq, timeZone, reader } = await decideReading(db, submission);
      const version = await reading;
      if (!outcome.ok) return null;
      // The rows the effects would change, as the write would read them.
      await Dexie.Promise.all(outcome.effects.map((effect) => reader.get(...effectKey(effect))));
      return { log, shadowKeys: new Set(shadowKeys), nextSeq, actor, timeZone, version, unstamped };
    });
    if (found) known.set(db, found);
  } catch (error) {
    console.warn('Could not prepare for the next scan', error);
  }
}

/** Runs the rule on the view, recording every read it (and its effects) makes. Inside a transaction. */
async function decideReading(db: DockhandDb, submission: Submission) {
  const shared = sharedReads(dexieReader(db));
  const log: ReadLog = new Map();
  const reader = recordingReader(shared, log);
  // Settles without throwing: a read that fails fails again where the rule makes it.
  const prefetching = (PREFETCH[submission.type]?.(submission.args as never, shared) ?? Dexie.Promise.resolve()).catch(() => undefined);
  const shadowKeys = db.shadow.toCollection().primaryKeys();
  const [actor, nextSeq, timeZone] = await Promise.all([submission.actor ?? storedActor(db), getMeta(db, 'nextSeq'), getMeta(db, 'timeZone')]);
  const today = submission.today ?? warehouseDate(timeZone, submission.now);
  const outcome = await applyMutation(submission.mutation, { actor, reader, today, now: submission.now.toISOString() });
  // Nothing may still be reading when the transaction ends.
  await Promise.all([prefetching, shadowKeys.catch(() => undefined)]);
  return { outcome, log, reader, shadowKeys: await shadowKeys, actor, nextSeq: nextSeq ?? 1, timeZone };
}

/** The ordinary path: the rule reads the view inside the transaction that writes. */
async function submitRead(db: DockhandDb, submission: Submission): Promise<SubmitResult> {
  let after: Known | undefined;
  const unstamped = db.unstampedWrites;
  const result = await db.transaction('rw', mutationScope(db, submission.type), async (): Promise<SubmitResult> => {
    const { outcome, log, reader, shadowKeys, actor, nextSeq, timeZone } = await decideReading(db, submission);
    if (!outcome.ok) return { ok: false, rejection: outcome.rejection };
    // The rows the effects change are the ones the rule just read: no second read of them.
    const { changes, written } = await stageEffectChanges(db, outcome.effects, {
      get: (table, id) => reader.get(table, id),
      shadowKeys: Dexie.Promise.resolve(shadowKeys),
    });
    await Promise.all([written, ...record(db, submission, actor, nextSeq, changes)]);
    after = knownAfter({ log, shadowKeys: new Set(shadowKeys), nextSeq, actor, timeZone, unstamped }, changes, stampOf(Dexie.currentTransaction.idbtrans));
    return { ok: true, mutationId: submission.id, seq: nextSeq, changes };
  });
  if (after) known.set(db, after);
  return result;
}

/**
 * The fast path: the rule decides on `last`, and one transaction checks that the view's version
 * is still the one `last` knew while it writes. Throws `ReplayMiss` when the rule reads something
 * `last` lacks, `StaleKnowledge` (after aborting: nothing written) when anything wrote the view
 * since; answers null for a rejection, which is only ever decided on what IndexedDB holds.
 */
async function submitKnown(db: DockhandDb, submission: Submission, last: Known): Promise<SubmitResult | null> {
  const actor = submission.actor ?? last.actor;
  const reader = replayReader(last.log);
  const today = submission.today ?? warehouseDate(last.timeZone, submission.now);
  const outcome = await applyMutation(submission.mutation, { actor, reader, today, now: submission.now.toISOString() });
  if (!outcome.ok) return null;
  const seq = last.nextSeq;
  let after: Known | undefined;
  if (db.unstampedWrites !== last.unstamped) throw new StaleKnowledge('This connection wrote the view where no version could be stamped.');
  const result = await db.transaction('rw', mutationScope(db, submission.type), async (): Promise<SubmitResult> => {
    // Issued first, so IndexedDB answers it before any write below lands.
    const unchanged = db.meta.get('viewVersion').then((stored) => stored?.value === last.version);
    const { changes, written } = await stageEffectChanges(db, outcome.effects, {
      get: (table, id) => reader.get(table, id),
      shadowKeys: Dexie.Promise.resolve([...last.shadowKeys]),
    });
    const writing = Promise.all([written, ...record(db, submission, actor, seq, changes)]);
    if (!(await unchanged)) throw new StaleKnowledge('The device changed since its last submission.');
    // Every write is issued and nothing else will be: commit now, so IndexedDB starts flushing as
    // soon as the last write lands instead of after this thread has seen each write's answer.
    commitNow(Dexie.currentTransaction.idbtrans);
    await writing;
    after = knownAfter({ ...last, actor }, changes, stampOf(Dexie.currentTransaction.idbtrans));
    return { ok: true, mutationId: submission.id, seq, changes };
  });
  if (after) known.set(db, after);
  return result;
}

/** Asks IndexedDB to commit once the requests already issued are done (where the engine can). */
function commitNow(idbtrans: IDBTransaction): void {
  // Chromium 76+, Firefox 74+, Safari 15+; elsewhere the transaction commits on its own.
  if (typeof idbtrans.commit === 'function') idbtrans.commit();
}

/** The outbox entry's writes: the entry, and the next sequence number moved past it. */
function record(db: DockhandDb, submission: Submission, actor: Actor, seq: number, changes: readonly RowChange[]): Promise<unknown>[] {
  const entry: OutboxEntry = {
    id: submission.id,
    seq,
    type: submission.type,
    version: submission.mutation.version,
    args: submission.args as Record<string, unknown>,
    clientTime: submission.now.toISOString(),
    status: 'pending',
    touched: changes.map((change) => rowKey(change.table, change.id)),
    actor,
  };
  return [db.outbox.add(entry), setMeta(db, 'nextSeq', seq + 1)];
}

/** What the device knows once `changes` (its submission's effects) have committed, leaving `version`. */
function knownAfter(before: Omit<Known, 'version'>, changes: readonly RowChange[], version: string | undefined): Known {
  return {
    log: afterChanges(before.log, changes),
    shadowKeys: new Set([...before.shadowKeys, ...changes.map((change) => rowKey(change.table, change.id))]),
    nextSeq: before.nextSeq + 1,
    actor: before.actor,
    timeZone: before.timeZone,
    version,
    unstamped: before.unstamped,
  };
}

async function storedActor(db: DockhandDb): Promise<Actor> {
  const [session, deviceId] = await Promise.all([getMeta(db, 'session'), getMeta(db, 'deviceId')]);
  if (!session || !deviceId) throw new Error('Nobody is signed in on this device.');
  return actorOf(session, deviceId);
}

/** Mutations not yet answered by the server (what "N pending" counts and sign-out refuses on). */
export function countPending(db: DockhandDb): Promise<number> {
  return db.outbox.where('status').equals('pending').count();
}
