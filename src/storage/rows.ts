// The device's rows of the synced tables, and every read the app makes of them. Rows live in two
// layers (decision 0008): `base` holds the server's rows as pulled, packed in blocks of one
// table's rows in id order, because IndexedDB's cost is per record and a first load is 200,000
// rows; the per-row tables (`db.products`, `db.stock`, …) are the overlay, holding only rows that
// local mutations wrote, a deleted row as a tombstone. A read answers the overlay's row where it
// has one, else base's. Reads are Dexie promise chains (no async functions), so reads started
// side by side inside one transaction keep it alive (see `dexieReader`).
import { Dexie, RangeSet, type DBCore, type DBCoreMutateRequest, type DBCoreTable, type Middleware, type Table } from 'dexie';
import type { AnyRow, RowOf, TableName } from '../domain/entities';
import type { DockhandDb } from './db';

/** Blocks are written with this many rows: a read costs one block, a first load one record per block. */
export const BLOCK_ROWS = 64;
/** A block that grows past this many rows is split into blocks of BLOCK_ROWS. */
const MAX_BLOCK_ROWS = 2 * BLOCK_ROWS;
/** Above this many distinct rows, `getRows` reads the whole table instead of one block per row. */
const BULK_GET_SCAN = 256;

/** Rows of one table, ids from `first` (inclusive) up to the next block's `first`, sorted by id. */
export interface BaseBlock {
  table: TableName;
  /** The lowest id this block may hold; a table's first block has ''. */
  first: string;
  rows: AnyRow[];
  /** `ixKey` of every indexed value a row of this block has (the multi-entry index `ix`). */
  ix: string[];
}

/**
 * The fields each table is queried by (`rowsWhere`). Base blocks index their rows' values of these
 * fields; the overlay is filtered in memory, as it holds only the few rows local mutations wrote.
 */
export const ROW_INDEXES = {
  owners: [],
  products: ['barcodes'],
  locations: ['code', 'type'],
  stock: ['lpn'],
  lpns: ['locationId'],
  receipts: ['status', 'number'],
  receiptLines: ['receiptId'],
  orders: ['status', 'number'],
  orderLines: ['orderId'],
  pickLists: ['status'],
  pickLines: ['pickListId', 'orderId'],
  shipments: ['orderId'],
  cartonTypes: ['code'],
  cartons: ['orderId'],
  cartonLines: ['orderId'],
  returns: ['rma', 'orderId', 'status'],
  returnLines: ['returnId'],
} as const satisfies { [T in TableName]: readonly (keyof RowOf<T> & string)[] };

export type IndexedField<T extends TableName> = (typeof ROW_INDEXES)[T][number];

/** An overlay entry for a row a local mutation deleted (a stock balance that reached zero). */
interface Tombstone {
  id: string;
  deleted: true;
}

type OverlayEntry = AnyRow | Tombstone;

function isTombstone(entry: OverlayEntry): entry is Tombstone {
  return (entry as Partial<Tombstone>).deleted === true && Object.keys(entry).length === 2;
}

/** The key of one indexed value in `BaseBlock.ix`. */
function ixKey(table: TableName, field: string, value: string): string {
  return `${table}\u0001${field}\u0001${value}`;
}

function fieldValues(row: AnyRow, field: string): string[] {
  const value = (row as Record<string, unknown>)[field];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** The order rows are kept and answered in. */
export function byId<R extends { id: string }>(a: R, b: R): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Index of the last of sorted `keys` at or below `key`, or -1. */
function lastAtOrBelow(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! <= key) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function overlay<T extends TableName>(db: DockhandDb, table: T): Table<OverlayEntry, string> {
  return db.table<OverlayEntry, string>(table);
}

/** The blocks of `table` whose `first` is at or below `upTo` (all of them without it), in key order. */
function blocksUpTo(base: Table<BaseBlock>, table: TableName, upTo: string = Dexie.maxKey as unknown as string) {
  return base.where('[table+first]').between([table, Dexie.minKey], [table, upTo], true, true);
}

/** The block that holds (or would hold) `id`. */
function blockOf(db: DockhandDb, table: TableName, id: string) {
  return blocksUpTo(db.base, table, id).last();
}

/**
 * Rows `fromBase` found, with the overlay laid over them: a row the overlay holds is answered from
 * it (if it still `matches`), every other base row as it is. Sorted by id.
 */
function laid<T extends TableName>(fromBase: readonly AnyRow[], entries: readonly OverlayEntry[], matches: (row: AnyRow) => boolean): RowOf<T>[] {
  const local = new Set(entries.map((entry) => entry.id));
  const rows = fromBase.filter((row) => !local.has(row.id));
  for (const entry of entries) if (!isTombstone(entry) && matches(entry)) rows.push(entry);
  return rows.sort(byId) as RowOf<T>[];
}

/** One row by id, or undefined. */
export function getRow<T extends TableName>(db: DockhandDb, table: T, id: string): Promise<RowOf<T> | undefined> {
  return Dexie.Promise.all([overlay(db, table).get(id), blockOf(db, table, id)]).then(([local, block]) => {
    if (local) return isTombstone(local) ? undefined : (local as RowOf<T>);
    return block?.rows.find((row) => row.id === id) as RowOf<T> | undefined;
  });
}

/** Rows by id, in the order asked (undefined where there is none). */
export function getRows<T extends TableName>(db: DockhandDb, table: T, ids: readonly string[]): Promise<(RowOf<T> | undefined)[]> {
  const distinct = [...new Set(ids)];
  if (distinct.length <= BULK_GET_SCAN) {
    return Dexie.Promise.all(distinct.map((id) => getRow(db, table, id))).then((rows) => {
      const byKey = new Map(distinct.map((id, index) => [id, rows[index]]));
      return ids.map((id) => byKey.get(id));
    });
  }
  return allRows(db, table).then((rows) => {
    const byKey = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byKey.get(id));
  });
}

/** Rows whose `field` holds one of `values` (for an array field: contains one), sorted by id. */
export function rowsWhere<T extends TableName>(db: DockhandDb, table: T, field: IndexedField<T>, values: readonly string[]): Promise<RowOf<T>[]> {
  const wanted = new Set(values);
  const matches = (row: AnyRow) => fieldValues(row, field).some((value) => wanted.has(value));
  return Dexie.Promise.all([
    overlay(db, table).toArray(),
    Dexie.Promise.all([...wanted].map((value) => db.base.where('ix').equals(ixKey(table, field, value)).toArray())),
  ]).then(([entries, found]) => {
    const blocks = new Map<string, BaseBlock>();
    for (const block of found.flat()) blocks.set(block.first, block);
    const fromBase = [...blocks.values()].flatMap((block) => block.rows.filter(matches));
    return laid<T>(fromBase, entries, matches);
  });
}

/** Rows whose id starts with `prefix` (a stock id starts with its location and product), sorted by id. */
export function rowsWithPrefix<T extends TableName>(db: DockhandDb, table: T, prefix: string): Promise<RowOf<T>[]> {
  const matches = (row: AnyRow) => row.id.startsWith(prefix);
  return Dexie.Promise.all([
    overlay(db, table).toArray(),
    // From the last block that starts before the prefix up to the last one that may hold it.
    blocksUpTo(db.base, table, `${prefix}\uffff`)
      .reverse()
      .until((block) => block.first <= prefix, true)
      .toArray(),
  ]).then(([entries, blocks]) => laid<T>(blocks.flatMap((block) => block.rows.filter(matches)), entries, matches));
}

/** Every row of `table`, sorted by id. */
export function allRows<T extends TableName>(db: DockhandDb, table: T): Promise<RowOf<T>[]> {
  return Dexie.Promise.all([overlay(db, table).toArray(), blocksUpTo(db.base, table).toArray()]).then(([entries, blocks]) =>
    laid<T>(
      blocks.flatMap((block) => block.rows),
      entries,
      () => true,
    ),
  );
}

/** How many rows `table` holds. */
export function countRows(db: DockhandDb, table: TableName): Promise<number> {
  return allRows(db, table).then((rows) => rows.length);
}

/** A block as stored: its rows sorted, its index keys computed. */
function blockOfRows(table: TableName, first: string, rows: AnyRow[]): BaseBlock {
  const ix = new Set<string>();
  for (const field of ROW_INDEXES[table] as readonly string[]) {
    for (const row of rows) for (const value of fieldValues(row, field)) ix.add(ixKey(table, field, value));
  }
  return { table, first, rows, ix: [...ix] };
}

/**
 * Writes the server's version of rows to `base` (`row` null: the row is gone), reading only the
 * blocks they fall in. Rows arriving in id order (a first load) fill blocks one after another.
 * `base` is the table to write: the app's `db.base`, or a schema upgrade's.
 */
export async function writeBaseRows(base: Table<BaseBlock>, table: TableName, writes: ReadonlyMap<string, AnyRow | null>): Promise<void> {
  if (writes.size === 0) return;
  const keys = (await blocksUpTo(base, table).primaryKeys()) as unknown as [TableName, string][];
  const firsts = keys.map(([, first]) => first);
  const home = (id: string) => {
    const at = lastAtOrBelow(firsts, id);
    return at >= 0 ? firsts[at]! : '';
  };
  const byBlock = new Map<string, [string, AnyRow | null][]>();
  for (const write of writes) {
    const first = home(write[0]);
    const list = byBlock.get(first);
    if (list) list.push(write);
    else byBlock.set(first, [write]);
  }
  const stored = await base.bulkGet([...byBlock.keys()].map((first) => [table, first]));
  const puts: BaseBlock[] = [];
  const gone: [TableName, string][] = [];
  [...byBlock].forEach(([first, changes], index) => {
    const rows = new Map((stored[index]?.rows ?? []).map((row) => [row.id, row]));
    for (const [id, row] of changes) {
      if (row) rows.set(id, row);
      else rows.delete(id);
    }
    const sorted = [...rows.values()].sort(byId);
    if (sorted.length === 0) {
      if (stored[index] && first !== '') gone.push([table, first]);
      else if (stored[index]) puts.push(blockOfRows(table, first, []));
      return;
    }
    if (sorted.length <= MAX_BLOCK_ROWS) {
      puts.push(blockOfRows(table, first, sorted));
      return;
    }
    for (let at = 0; at < sorted.length; at += BLOCK_ROWS) {
      const part = sorted.slice(at, at + BLOCK_ROWS);
      puts.push(blockOfRows(table, at === 0 ? first : part[0]!.id, part));
    }
  });
  await Promise.all([base.bulkPut(puts), gone.length > 0 ? base.bulkDelete(gone) : undefined]);
}

/** One row's server version (`row` null: the row is gone), as a pull page or a shadow holds it. */
export interface ServerRow {
  table: TableName;
  id: string;
  row: AnyRow | null;
}

/** `rows` as `writeServerRows` takes them: by table, then by id (the last of an id wins). */
export function byTable(rows: Iterable<ServerRow>): Map<TableName, Map<string, AnyRow | null>> {
  const tables = new Map<TableName, Map<string, AnyRow | null>>();
  for (const { table, id, row } of rows) {
    let writes = tables.get(table);
    if (!writes) tables.set(table, (writes = new Map()));
    writes.set(id, row);
  }
  return tables;
}

/**
 * Takes the server's version of rows into the view: written to `base`, and any overlay entry for
 * them dropped (it was a local change the server has now answered for).
 */
export async function writeServerRows(db: DockhandDb, table: TableName, writes: ReadonlyMap<string, AnyRow | null>): Promise<void> {
  if (writes.size === 0) return;
  const [local] = await Promise.all([overlay(db, table).toCollection().primaryKeys(), writeBaseRows(db.base, table, writes)]);
  const stale = local.filter((id) => writes.has(id));
  if (stale.length > 0) await overlay(db, table).bulkDelete(stale);
}

/** A local mutation's change to a row (`row` null: deleted), written to the overlay. */
export function writeLocalRow(db: DockhandDb, table: TableName, id: string, row: AnyRow | null): Promise<unknown> {
  return overlay(db, table).put(row ?? { id, deleted: true });
}

/** Empties every synced table, both layers. */
export async function clearRows(db: DockhandDb, tables: readonly TableName[]): Promise<void> {
  await Promise.all([db.base.clear(), ...tables.map((table) => db.table(table).clear())]);
}

/**
 * Dexie's live queries learn what a transaction changed from the keys it wrote, index keys
 * included: for a `base` block, hundreds of barcodes and codes. Merging those sets, once per write
 * and again into every live query still waiting, cost seconds over a first load. A `base` write
 * is reported as changing the whole table instead: a live query reading `base` runs again after
 * any pull page, which it mostly would anyway.
 */
export const wholeBaseObserved: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'whole-base-observed',
  create(down) {
    const part = (index: string) => `idb://${down.schema.name}/base/${index}`;
    return {
      ...down,
      table(name: string): DBCoreTable {
        const table = down.table(name);
        if (name !== 'base') return table;
        return {
          ...table,
          mutate(request) {
            const whole = () => new RangeSet(down.MIN_KEY, down.MAX_KEY);
            const mutatedParts = { [part('')]: whole(), [part(':dels')]: whole(), [part('ix')]: whole() };
            return table.mutate({ ...request, mutatedParts } as DBCoreMutateRequest);
          },
        };
      },
    };
  },
};
