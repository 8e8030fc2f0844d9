// The rules' Reader over the device's view tables. Called inside a Dexie transaction, every read
// joins it, so a rule decides on exactly what the same transaction then writes.
import { Dexie } from 'dexie';
import type { LocationType, RowOf, StockRow, TableName } from '../domain/entities';
import type { Reader, StockQuery } from '../domain/rules/types';
import { sortFefo } from '../domain/rules/stock';
import type { DockhandDb } from './db';
import { callKey, perform, readerOf, tableOf, type Answer, type ChildTable } from './reader-calls';
import { allRows, getRow, rowsWhere, rowsWithPrefix, type IndexedField } from './rows';

/** The column that points a child row at its document (each one in storage/rows `ROW_INDEXES`). */
export const PARENT_KEY = {
  receiptLines: 'receiptId',
  orderLines: 'orderId',
  pickLines: 'pickListId',
  returnLines: 'returnId',
  cartons: 'orderId',
  cartonLines: 'orderId',
} as const;

/** The order `locationsOfType` answers in: walk order, then code. */
export function byWalkOrder(a: RowOf<'locations'>, b: RowOf<'locations'>): number {
  return a.walkSeq - b.walkSeq || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/**
 * The rules' Reader over `db` (storage/rows: base blocks with the overlay of local changes). Its
 * answers are Dexie's own promises (no async functions), so reads started side by side in one
 * transaction (`sharedReads`, outbox.ts's prefetch) keep it alive.
 */
export function dexieReader(db: DockhandDb): Reader {
  return {
    get<T extends TableName>(table: T, id: string) {
      return getRow(db, table, id);
    },
    children<T extends ChildTable>(table: T, parentId: string) {
      return rowsWhere(db, table, PARENT_KEY[table] as IndexedField<T>, [parentId]);
    },
    stock(query: StockQuery) {
      // A stock row's id starts with its location and product (entities `stockId`).
      return rowsWithPrefix(db, 'stock', `${query.locationId}|${query.productId}|`).then((rows) =>
        // FEFO (sortFefo) is the domain's order; it also drops rows without units.
        sortFefo(
          rows.filter(
            (row) =>
              row.locationId === query.locationId &&
              row.productId === query.productId &&
              (query.lot === undefined || row.lot === query.lot) &&
              (query.lpn === undefined || row.lpn === query.lpn),
          ),
        ),
      );
    },
    stockAt(locationId: string) {
      return rowsWithPrefix(db, 'stock', `${locationId}|`).then((rows: StockRow[]) => rows.filter((row) => row.locationId === locationId && row.qty > 0));
    },
    pickLinesOfOrder(orderId: string) {
      return rowsWhere(db, 'pickLines', 'orderId', [orderId]);
    },
    // A device holds its owners' open lists only (a few thousand lines at most): read them all
    // rather than index every line by bin. Rules ask only for bins that are picked from.
    openPickLinesAt(locationId: string, productId: string) {
      return allRows(db, 'pickLines').then((rows) => rows.filter((line) => line.locationId === locationId && line.productId === productId && line.status === 'open'));
    },
    locationsOfType(type: LocationType) {
      return rowsWhere(db, 'locations', 'type', [type]).then((rows) => rows.sort(byWalkOrder));
    },
  };
}

/**
 * `reader` answering each distinct read once: a read started early (see `prefetch` in outbox.ts)
 * is the one the rule gets when it asks, so reads a rule makes one after another reach
 * IndexedDB together. A row a query answered is also the answer to `get` of that row (the effects
 * then need no read of their own). Only for one rule run inside one transaction, before anything
 * is written.
 */
export function sharedReads(reader: Reader): Reader {
  const reads = new Map<string, Promise<Answer>>();
  return readerOf((call) => {
    const key = callKey(call);
    let answer = reads.get(key);
    if (!answer) {
      answer = perform(reader, call);
      if (call.kind !== 'get') {
        const table = tableOf(call);
        answer = answer.then((rows) => {
          for (const row of rows as RowOf<TableName>[]) {
            const get = callKey({ kind: 'get', table, id: row.id });
            if (!reads.has(get)) reads.set(get, Dexie.Promise.resolve(row));
          }
          return rows;
        });
      }
      reads.set(key, answer);
    }
    return answer;
  });
}
