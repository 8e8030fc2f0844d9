// The rules' Reader over the device's view tables. Called inside a Dexie transaction, every read
// joins it, so a rule decides on exactly what the same transaction then writes.
import type { LocationType, PickLine, RowOf, StockRow, TableName } from '../domain/entities';
import type { Reader, StockQuery } from '../domain/rules/types';
import { sortFefo } from '../domain/rules/stock';
import type { DockhandDb } from './db';

/** The column that points a child row at its document (each one indexed in db.ts). */
export const PARENT_KEY = {
  receiptLines: 'receiptId',
  orderLines: 'orderId',
  pickLines: 'pickListId',
  returnLines: 'returnId',
} as const;

export type ChildTable = keyof typeof PARENT_KEY;

/** The order `children`, `stockAt` and `pickLinesOfOrder` answer in. */
export function byId<R extends { id: string }>(a: R, b: R): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The order `locationsOfType` answers in: walk order, then code. */
export function byWalkOrder(a: RowOf<'locations'>, b: RowOf<'locations'>): number {
  return a.walkSeq - b.walkSeq || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/**
 * The rules' Reader over `db`. Its answers are Dexie's own promises (no async functions), so reads
 * started side by side in one transaction (`sharedReads`, outbox.ts's prefetch) keep it alive.
 */
export function dexieReader(db: DockhandDb): Reader {
  return {
    get<T extends TableName>(table: T, id: string) {
      return db
        .table<RowOf<T>, string>(table)
        .get(id)
        .then((row) => row ?? undefined);
    },
    children<T extends ChildTable>(table: T, parentId: string) {
      return db
        .table<RowOf<T>, string>(table)
        .where(PARENT_KEY[table])
        .equals(parentId)
        .toArray()
        .then((rows) => rows.sort(byId));
    },
    stock(query: StockQuery) {
      return db.stock
        .where('[productId+locationId]')
        .equals([query.productId, query.locationId])
        .toArray()
        .then((rows) =>
          // FEFO (sortFefo) is the domain's order; it also drops rows without units.
          sortFefo(
            rows.filter(
              (row) => (query.lot === undefined || row.lot === query.lot) && (query.lpn === undefined || row.lpn === query.lpn),
            ),
          ),
        );
    },
    stockAt(locationId: string) {
      return db.stock
        .where('locationId')
        .equals(locationId)
        .toArray()
        .then((rows: StockRow[]) => rows.filter((row) => row.qty > 0).sort(byId));
    },
    pickLinesOfOrder(orderId: string) {
      return db.pickLines
        .where('orderId')
        .equals(orderId)
        .toArray()
        .then((rows: PickLine[]) => rows.sort(byId));
    },
    locationsOfType(type: LocationType) {
      return db.locations
        .where('type')
        .equals(type)
        .toArray()
        .then((rows) => rows.sort(byWalkOrder));
    },
  };
}

/** A stock query as a map key: `undefined` (any) and `null` (none) stay apart. */
function stockKey(query: StockQuery): string {
  const part = (value: string | null | undefined) => (value === undefined ? '*' : JSON.stringify(value));
  return [query.productId, query.locationId, part(query.lot), part(query.lpn)].join('\u0000');
}

/**
 * `reader` answering each distinct read once: a read started early (see `prefetch` in outbox.ts)
 * is the one the rule gets when it asks, so reads a rule makes one after another reach
 * IndexedDB together. A row a query answered is also the answer to `get` of that row (the effects
 * then need no read of their own). Only for one rule run inside one transaction, before anything
 * is written.
 */
export function sharedReads(reader: Reader): Reader {
  const reads = new Map<string, Promise<unknown>>();
  const getKey = (table: TableName, id: string) => `get\u0000${table}\u0000${id}`;
  function once<R>(key: string, read: () => Promise<R>): Promise<R> {
    let answer = reads.get(key) as Promise<R> | undefined;
    if (!answer) {
      answer = read();
      reads.set(key, answer);
    }
    return answer;
  }
  function rowsOf<T extends TableName, R extends RowOf<T>[]>(table: T, key: string, read: () => Promise<R>): Promise<R> {
    return once(key, () =>
      read().then((rows) => {
        for (const row of rows) if (!reads.has(getKey(table, row.id))) reads.set(getKey(table, row.id), Promise.resolve(row));
        return rows;
      }),
    );
  }
  return {
    get: (table, id) => once(getKey(table, id), () => reader.get(table, id)),
    children: (table, parentId) => rowsOf(table, `children\u0000${table}\u0000${parentId}`, () => reader.children(table, parentId)),
    stock: (query) => rowsOf('stock', `stock\u0000${stockKey(query)}`, () => reader.stock(query)),
    stockAt: (locationId) => rowsOf('stock', `stockAt\u0000${locationId}`, () => reader.stockAt(locationId)),
    pickLinesOfOrder: (orderId) => rowsOf('pickLines', `pickLinesOfOrder\u0000${orderId}`, () => reader.pickLinesOfOrder(orderId)),
    locationsOfType: (type) => rowsOf('locations', `locationsOfType\u0000${type}`, () => reader.locationsOfType(type)),
  };
}
