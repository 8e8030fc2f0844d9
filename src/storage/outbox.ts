// Submitting a mutation: the rule decides against the view, and its effects, the shadows of the
// rows they change and the outbox entry are written in one strict-durability transaction over the
// tables its type needs (`mutationScope`). Only after that commits may a screen show the scan as
// confirmed.
import { Dexie } from 'dexie';
import { rejection, type Rejection } from '../domain/errors';
import { stockId, type PickLine, type PickList } from '../domain/entities';
import { MUTATION_SCHEMAS, type ArgsInputOf, type ArgsOf, type MutationType } from '../domain/mutations';
import { applyMutation } from '../domain/rules/index';
import type { Actor, Reader, StockQuery } from '../domain/rules/types';
import type { RowChange } from '../domain/apply-effects';
import { rowKey, type DockhandDb, type OutboxEntry, type StoredSession } from './db';
import { dexieReader, sharedReads } from './dexie-reader';
import { getMeta, setMeta } from './meta';
import { mutationScope, stageEffectChanges } from './view';

export interface SubmitInput<T extends MutationType> {
  type: T;
  /** The intent, as the screen has it; checked against the type's schema before anything runs. */
  args: ArgsInputOf<T>;
  /** Who acts; omitted, the signed-in user on this device (read in the same transaction). */
  actor?: Actor;
  /** Today at the warehouse (`YYYY-MM-DD`); defaults to the device's local date. */
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

/** The actor a stored session and this device's id stand for. */
export function actorOf(session: StoredSession, deviceId: string): Actor {
  return { userId: session.user.id, deviceId, role: session.user.role, ownerIds: session.user.ownerIds };
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
};

/**
 * Decides a mutation locally and, when the rules accept it, records it durably: effects on the
 * view, shadows, and the outbox entry with the device's next sequence number, all in one
 * transaction. A rejection writes nothing. A typed quantity out of range is a rejection
 * (INVALID_QUANTITY); other malformed args throw `MalformedMutationError`.
 */
export async function submitMutation<T extends MutationType>(db: DockhandDb, input: SubmitInput<T>): Promise<SubmitResult> {
  const schema = MUTATION_SCHEMAS[input.type][1];
  const parsed = schema.safeParse(input.args);
  if (!parsed.success) {
    if (parsed.error.issues.every((issue) => issue.path.some((part) => String(part).toLowerCase().endsWith('qty')))) {
      return { ok: false, rejection: rejection('INVALID_QUANTITY', 'Enter a whole number of units, 1 or more.') };
    }
    throw new MalformedMutationError(`${input.type}: ${parsed.error.message}`);
  }
  const now = input.now ?? new Date();
  const today = input.today ?? localDate(now);
  const id = (input.newId ?? (() => crypto.randomUUID()))();
  const mutation = { type: input.type, version: 1, args: parsed.data } as Parameters<typeof applyMutation>[0];

  return db.transaction('rw', mutationScope(db, input.type), async (): Promise<SubmitResult> => {
    const reader = sharedReads(dexieReader(db));
    // Settles without throwing: a read that fails fails again where the rule makes it.
    const prefetching = (PREFETCH[input.type]?.(parsed.data as never, reader) ?? Dexie.Promise.resolve()).catch(() => undefined);
    const shadowKeys = db.shadow.toCollection().primaryKeys();
    const [actor, nextSeq] = await Promise.all([input.actor ?? storedActor(db), getMeta(db, 'nextSeq')]);
    const outcome = await applyMutation(mutation, { actor, reader, today, now: now.toISOString() });
    // Nothing may still be reading when the transaction ends.
    await Promise.all([prefetching, shadowKeys.catch(() => undefined)]);
    if (!outcome.ok) return { ok: false, rejection: outcome.rejection };
    // The rows the effects change are the ones the rule just read: no second read of them.
    const { changes, written } = await stageEffectChanges(db, outcome.effects, {
      get: (table, id) => reader.get(table, id),
      shadowKeys,
    });
    const touched = changes.map((change) => rowKey(change.table, change.id));
    const seq = nextSeq ?? 1;
    const entry: OutboxEntry = {
      id,
      seq,
      type: input.type,
      version: 1,
      args: parsed.data as Record<string, unknown>,
      clientTime: now.toISOString(),
      status: 'pending',
      touched,
      actor,
    };
    await Promise.all([written, db.outbox.add(entry), setMeta(db, 'nextSeq', seq + 1)]);
    return { ok: true, mutationId: id, seq, changes };
  });
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
