// Loads a generated warehouse into an empty database: its rows through the bulk writer (so they
// reach the sync feed), its stock also as opening ledger movements, and its users with hashed PINs.
import type { TableName } from '../../src/domain';
import { createUser } from '../auth';
import type { Db } from '../db/index';
import { bulkPut } from '../db/tables';
import type { WarehouseData } from './types';

/** Parents before children, so foreign keys hold at every insert. */
const LOAD_ORDER: TableName[] = [
  'owners', 'locations', 'products', 'cartonTypes', 'stock', 'lpns', 'receipts', 'receiptLines', 'orders', 'orderLines',
  'pickLists', 'pickLines', 'cartons', 'cartonLines', 'shipments', 'returns', 'returnLines',
];

export async function isEmpty(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from owners');
  return rows[0]!.n === 0;
}

export async function loadWarehouse(db: Db, data: WarehouseData): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of LOAD_ORDER) {
      const rows = data.rows[table];
      if (rows?.length) await bulkPut(tx, table, rows);
    }
    // Opening balances enter the ledger too, so the ledger always sums to the balances.
    await tx.query(
      `insert into stock_movements (stock_id, owner_id, location_id, product_id, lot, lpn, delta, reason)
       select id, owner_id, location_id, product_id, lot, lpn, qty, 'opening balance' from stock where qty > 0`,
    );
    // Lists allocation builds later are numbered after the loaded ones.
    await tx.query(
      `select setval('pick_list_number_seq', coalesce((select max(substring(number from 4)::bigint) from pick_lists where number ~ '^PL-[0-9]+$'), 0) + 1, false)`,
    );
  });
  for (const user of data.users) await createUser(db, user);
}
