// The rules' Reader backed by SQL inside the mutation's transaction. Rows a rule may change are
// read `for update`, so two devices deciding on the same stock or line take turns and the second
// decides on what the first committed.
import type { LocationType, Reader, RowOf, StockQuery, StockRow, TableName } from '../../src/domain';
import type { Queryable } from '../db/index';
import { TABLE_META, fromSql } from '../db/tables';

/** Reference data the floor never changes through mutations: read without locks. */
const REFERENCE_TABLES = new Set<TableName>(['owners', 'products', 'locations', 'cartonTypes']);

const PARENT_COLUMN = {
  receiptLines: 'receipt_id',
  orderLines: 'order_id',
  pickLines: 'pick_list_id',
  returnLines: 'return_id',
  cartons: 'order_id',
  cartonLines: 'order_id',
} as const;

export function sqlReader(tx: Queryable): Reader {
  return {
    async get<T extends TableName>(table: T, id: string) {
      const lock = REFERENCE_TABLES.has(table) ? '' : ' for update';
      const { rows } = await tx.query(`select * from ${TABLE_META[table].sql} where id = $1${lock}`, [id]);
      return rows[0] ? fromSql(table, rows[0]) : undefined;
    },
    async children<T extends keyof typeof PARENT_COLUMN>(table: T, parentId: string) {
      const { rows } = await tx.query(
        `select * from ${TABLE_META[table].sql} where ${PARENT_COLUMN[table]} = $1 order by id for update`,
        [parentId],
      );
      return rows.map((row) => fromSql(table, row)) as RowOf<T>[];
    },
    async stock(query: StockQuery) {
      const params: unknown[] = [query.productId, query.locationId];
      const clauses = ['product_id = $1', 'location_id = $2', 'qty > 0'];
      for (const [column, value] of [['lot', query.lot], ['lpn', query.lpn]] as const) {
        if (value === undefined) continue;
        if (value === null) {
          clauses.push(`${column} is null`);
        } else {
          params.push(value);
          clauses.push(`${column} = $${params.length}`);
        }
      }
      const where = clauses.join(' and ');
      const { rows } = await tx.query(
        `select * from stock where ${where} order by expiry asc nulls last, lot asc nulls last, id for update`,
        params,
      );
      return rows.map((row) => fromSql('stock', row)) as StockRow[];
    },
    async stockAt(locationId: string) {
      const { rows } = await tx.query('select * from stock where location_id = $1 and qty > 0 order by id for update', [locationId]);
      return rows.map((row) => fromSql('stock', row)) as StockRow[];
    },
    async pickLinesOfOrder(orderId: string) {
      const { rows } = await tx.query('select * from pick_lines where order_id = $1 order by id for update', [orderId]);
      return rows.map((row) => fromSql('pickLines', row));
    },
    async openPickLinesAt(locationId: string, productId: string) {
      const { rows } = await tx.query(
        `select p.* from pick_lines p join pick_lists l on l.id = p.pick_list_id
         where p.location_id = $1 and p.product_id = $2 and p.status = 'open' and l.status <> 'cancelled' order by p.id`,
        [locationId, productId],
      );
      return rows.map((row) => fromSql('pickLines', row));
    },
    async locationsOfType(type: LocationType) {
      const { rows } = await tx.query('select * from locations where type = $1 order by walk_seq, code', [type]);
      return rows.map((row) => fromSql('locations', row));
    },
  };
}
