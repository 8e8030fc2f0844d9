// A device database holding the fixture warehouse (test/server/fixture), for storage tests on
// fake-indexeddb. Each call makes a database of its own; delete it after the test.
import { randomUUID } from 'node:crypto';
import type { AnyRow, TableName } from '../../src/domain/entities';
import { DockhandDb } from '../../src/storage/db';
import { byTable, writeServerRows } from '../../src/storage/rows';
import { fixtureWarehouse } from '../server/fixture';

/** `prepare` runs before anything opens the database (Dexie middleware must be added by then). */
export async function fixtureDb(prefix: string, prepare?: (db: DockhandDb) => void): Promise<DockhandDb> {
  const db = new DockhandDb(`${prefix}-${randomUUID()}`);
  prepare?.(db);
  const { rows } = fixtureWarehouse();
  // The server's rows, as a pull would have written them.
  await db.transaction('rw', db.tables, async () => {
    const all = Object.entries(rows).flatMap(([table, list]) => (list as AnyRow[]).map((row) => ({ table: table as TableName, id: row.id, row })));
    for (const [table, writes] of byTable(all)) await writeServerRows(db, table, writes);
  });
  return db;
}
