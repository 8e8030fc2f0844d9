// The device's view: the server's rows plus the effects of the mutations still in the outbox.
// `shadow` keeps the server's version of every row a pending mutation changed, so the view can be
// rebuilt from it whenever the server's state or the outbox changes. Every function here expects
// to run inside a read-write transaction over `viewScope(db)` (a mutation's own effects: over its
// `mutationScope`).
import { applyEffects, type RowChange, type TableState } from '../domain/apply-effects';
import { stockId, type RowOf, type TableName } from '../domain/entities';
import { parseMutation } from '../domain/mutations';
import { applyMutation } from '../domain/rules/index';
import type { Effect } from '../domain/rules/types';
import { rowKey, type DockhandDb, type OutboxEntry } from './db';

export { mutationScope, viewScope } from './db';
import { dexieReader } from './dexie-reader';
import { byTable, getRow, writeLocalRow, writeServerRows, type ServerRow } from './rows';

/** The table and id of the row an effect changes. */
export function effectKey(effect: Effect): [TableName, string] {
  return effect.kind === 'stock'
    ? ['stock', stockId(effect.locationId, effect.productId, effect.lot, effect.lpn)]
    : [effect.table, effect.row.id];
}

/** Where `stageEffectChanges` reads the rows effects change, when the caller has them already. */
export interface EffectReads {
  /** The view row as it is now (a rule's reads, answered once per transaction). */
  get(table: TableName, id: string): Promise<RowOf<TableName> | undefined>;
  /** Every key `shadow` holds: a few rows, read together with the rule's first reads. */
  shadowKeys: Promise<readonly string[]>;
}

/**
 * Stages effects on the view, first saving the server's version of each row they change into
 * `shadow` (only when it has none: a shadowed row's view value already carries local effects).
 * Answers the rows written, in the order the effects last changed them, and `written`, which
 * settles once every write has: the caller awaits it together with its own writes (the outbox
 * entry), so they all go out in one round trip.
 */
export async function stageEffectChanges(
  db: DockhandDb,
  effects: readonly Effect[],
  reads?: EffectReads,
): Promise<{ changes: RowChange[]; written: Promise<unknown> }> {
  const keys = new Map<string, [TableName, string]>();
  for (const effect of effects) {
    const [table, id] = effectKey(effect);
    keys.set(rowKey(table, id), [table, id]);
  }
  const wanted = [...keys];
  const get = reads?.get ?? ((table: TableName, id: string) => getRow(db, table, id));
  const [rows, shadowed] = await Promise.all([
    Promise.all(wanted.map(([, [table, id]]) => get(table, id))),
    reads
      ? reads.shadowKeys.then((all) => new Set(all))
      : db.shadow.bulkGet(wanted.map(([key]) => key)).then((found) => new Set(found.flatMap((shadow) => (shadow ? [shadow.key] : [])))),
  ]);
  const current = new Map<string, RowOf<TableName> | undefined>();
  const state: Record<string, Map<string, RowOf<TableName>>> = {};
  for (const [index, [key, [table, id]]] of wanted.entries()) {
    const row = rows[index];
    current.set(key, row);
    if (row) (state[table] ??= new Map()).set(id, row);
  }
  const { changes } = applyEffects(state as TableState, effects);
  const writes: Promise<unknown>[] = [];
  for (const change of changes) {
    const key = rowKey(change.table, change.id);
    if (!shadowed.has(key)) {
      writes.push(db.shadow.put({ key, table: change.table, id: change.id, row: current.get(key) ?? null }));
      shadowed.add(key);
    }
    writes.push(writeLocalRow(db, change.table, change.id, change.row));
  }
  return { changes, written: Promise.all(writes) };
}

/** `stageEffectChanges`, reading for itself and waiting for the writes. */
export async function writeEffectChanges(db: DockhandDb, effects: readonly Effect[]): Promise<RowChange[]> {
  const { changes, written } = await stageEffectChanges(db, effects);
  await written;
  return changes;
}

/** `writeEffectChanges`, answering the keys (`rowKey`) of the rows written. */
export async function writeEffects(db: DockhandDb, effects: readonly Effect[]): Promise<string[]> {
  return (await writeEffectChanges(db, effects)).map((change) => rowKey(change.table, change.id));
}

export interface RebuildOptions {
  /** Today's date at the warehouse, for the rules' expiry checks. */
  today: string;
  /** ISO time stamped on rows the rules create; the server's value replaces it on the next pull. */
  now: string;
}

/**
 * Rebuilds the view from the server's rows: every shadowed row is reset to its shadow, then the
 * outbox is re-applied in sequence order through the same rules. An entry that no longer applies
 * stays in the outbox (the server decides) but contributes nothing; shadows no entry touches any
 * more are dropped, as their rows are the server's again.
 */
export async function rebuildView(db: DockhandDb, options: RebuildOptions): Promise<void> {
  const shadows = await db.shadow.toArray();
  for (const [table, writes] of byTable(shadows as ServerRow[])) await writeServerRows(db, table, writes);
  const entries: OutboxEntry[] = await db.outbox.orderBy('seq').toArray();
  const stillTouched = new Set<string>();
  const reader = dexieReader(db);
  for (const entry of entries) {
    let touched: string[] = [];
    const parsed = parseMutation(entry.type, entry.version, entry.args);
    if (parsed.ok) {
      try {
        const outcome = await applyMutation(parsed.mutation, { actor: entry.actor, reader, today: options.today, now: options.now });
        if (outcome.ok) touched = await writeEffects(db, outcome.effects);
      } catch (error) {
        // A rule that throws on a state the server has since changed must not wedge the sync;
        // the entry stays for the server to decide.
        console.error(`Re-applying ${entry.type} #${entry.seq} failed`, error);
      }
    }
    for (const key of touched) stillTouched.add(key);
    if (touched.join('\n') !== entry.touched.join('\n')) await db.outbox.update(entry.seq, { touched });
  }
  const stale = (await db.shadow.toCollection().primaryKeys()).filter((key) => !stillTouched.has(key));
  await db.shadow.bulkDelete(stale);
}
