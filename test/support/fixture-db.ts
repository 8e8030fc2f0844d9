// A device database holding the fixture warehouse (test/server/fixture), for storage tests on
// fake-indexeddb. Each call makes a database of its own; delete it after the test.
import { randomUUID } from 'node:crypto';
import { DockhandDb } from '../../src/storage/db';
import { fixtureWarehouse } from '../server/fixture';

/** `prepare` runs before anything opens the database (Dexie middleware must be added by then). */
export async function fixtureDb(prefix: string, prepare?: (db: DockhandDb) => void): Promise<DockhandDb> {
  const db = new DockhandDb(`${prefix}-${randomUUID()}`);
  prepare?.(db);
  const { rows } = fixtureWarehouse();
  await db.transaction('rw', db.tables, async () => {
    for (const [table, list] of Object.entries(rows)) await db.table(table).bulkPut(list as object[]);
  });
  return db;
}
