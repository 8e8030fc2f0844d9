// A device database holding the fixture warehouse (test/server/fixture), for storage tests on
// fake-indexeddb. Each call makes a database of its own; delete it after the test.
import { randomUUID } from 'node:crypto';
import type { AnyRow, TableName } from '../../src/domain/entities';
import { DockhandDb } from '../../src/storage/db';
import { writeServerRows } from '../../src/storage/rows';
import { fixtureWarehouse } from '../server/fixture';

/** `prepare` runs before anything opens the database (Dexie middleware must be added by then). */
export async function fixtureDb(prefix: string, prepare?: (db: DockhandDb) => void): Promise<DockhandDb> {
  const db = new DockhandDb(`${prefix}-${randomUUID()}`);
  prepare?.(db);
  const { rows } = fixtureWarehouse();
  // The server's rows, as a pull would have written them.
  await db.transaction('rw', db.tables, async () => {
    for (const [table, list] of Object.entries(rows)) {
      await writeServerRows(db, table as TableName, new Map((list as AnyRow[]).map((row) => [row.id, row])));
    }
  });
  return db;
}
