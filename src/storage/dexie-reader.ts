// The rules' Reader over the device's view tables. Called inside a Dexie transaction, every read
// joins it, so a rule decides on exactly what the same transaction then writes.
import type { LocationType, PickLine, RowOf, StockRow, TableName } from '../domain/entities';
import type { Reader, StockQuery } from '../domain/rules/types';
import { sortFefo } from '../domain/rules/stock';
import type { DockhandDb } from './db';

/** The column that points a child row at its document (each one indexed in db.ts). */
const PARENT_KEY = {
  receiptLines: 'receiptId',
  orderLines: 'orderId',
  pickLines: 'pickListId',
  returnLines: 'returnId',
} as const;

function byId<R extends { id: string }>(a: R, b: R): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function dexieReader(db: DockhandDb): Reader {
  return {
    async get<T extends TableName>(table: T, id: string) {
      return (await db.table<RowOf<T>, string>(table).get(id)) ?? undefined;
    },
    async children<T extends keyof typeof PARENT_KEY>(table: T, parentId: string) {
      const rows = await db.table<RowOf<T>, string>(table).where(PARENT_KEY[table]).equals(parentId).toArray();
      return rows.sort(byId);
    },
    async stock(query: StockQuery) {
      const rows = await db.stock.where('[productId+locationId]').equals([query.productId, query.locationId]).toArray();
      // FEFO (sortFefo) is the domain's order; it also drops rows without units.
      return sortFefo(
        rows.filter(
          (row) => (query.lot === undefined || row.lot === query.lot) && (query.lpn === undefined || row.lpn === query.lpn),
        ),
      );
    },
    async stockAt(locationId: string) {
      const rows: StockRow[] = await db.stock.where('locationId').equals(locationId).toArray();
      return rows.filter((row) => row.qty > 0).sort(byId);
    },
    async pickLinesOfOrder(orderId: string) {
      const rows: PickLine[] = await db.pickLines.where('orderId').equals(orderId).toArray();
      return rows.sort(byId);
    },
    async locationsOfType(type: LocationType) {
      const rows = await db.locations.where('type').equals(type).toArray();
      return rows.sort((a, b) => a.walkSeq - b.walkSeq || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    },
  };
}
