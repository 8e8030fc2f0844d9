// Server test harness: a fresh, migrated database per test on every backend under test —
// embedded PGlite always, and PostgreSQL whenever TEST_DATABASE_URL is set (CI sets it).
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, expect } from 'vitest';
import { buildApp, type AppOptions } from '../../server/app';
import { openDb, pgliteDb, enterSchema, type Db } from '../../server/db/index';
import { migrate } from '../../server/db/migrate';
import { loadWarehouse } from '../../server/seed/load';
import type { WarehouseData } from '../../server/seed/types';
import { fixtureWarehouse, TODAY } from './fixture';

export type Backend = 'pglite' | 'postgres';

const pgUrl = process.env.TEST_DATABASE_URL;
if (process.env.CI && !pgUrl) throw new Error('CI must run the server suites on PostgreSQL too: set TEST_DATABASE_URL.');

/** The backends every server suite runs on. */
export const BACKENDS: Backend[] = pgUrl ? ['pglite', 'postgres'] : ['pglite'];

// One embedded database per test file (it takes ~2 s to start); each test gets its own schema.
let lite: PGlite | undefined;
const opened: Db[] = [];
const schemas: string[] = [];

afterAll(async () => {
  for (const db of opened) await db.close();
  if (pgUrl && schemas.length) {
    const admin = await openDb({ databaseUrl: pgUrl, poolSize: 1 });
    for (const schema of schemas) await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.close();
  }
  await lite?.close();
});

export async function openTestDb(backend: Backend): Promise<Db> {
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  let db: Db;
  if (backend === 'postgres') {
    db = await openDb({ databaseUrl: pgUrl, schema, poolSize: 60 });
    schemas.push(schema);
  } else {
    lite ??= new PGlite();
    await enterSchema(lite, schema);
    db = pgliteDb(lite, async () => undefined);
  }
  opened.push(db);
  await migrate(db);
  return db;
}

export interface TestServer {
  db: Db;
  app: FastifyInstance;
  /** Signs in and returns the bearer token's headers for a user on a device. */
  signIn(username: string, pin: string, deviceId?: string): Promise<{ authorization: string; deviceId: string }>;
}

/** `options` adds to or replaces the app's (sign-in limits, say). */
export async function startTestServer(backend: Backend, data: WarehouseData = fixtureWarehouse(), options: Partial<AppOptions> = {}): Promise<TestServer> {
  const db = await openTestDb(backend);
  await loadWarehouse(db, data);
  const app = await buildApp({ db, today: () => TODAY, ...options });
  return {
    db,
    app,
    async signIn(username, pin, deviceId = `dev-${randomUUID()}`) {
      const response = await app.inject({ method: 'POST', url: '/api/session', payload: { username, pin, deviceId } });
      expect(response.statusCode, response.body).toBe(200);
      return { authorization: `Bearer ${response.json<{ token: string }>().token}`, deviceId };
    },
  };
}

/**
 * A second API server over the same database, as a load balancer would run it: on PostgreSQL
 * with its own connection pool, on PGlite over the one embedded database. Closed after the file.
 */
export async function secondServer(server: TestServer, options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  let db = server.db;
  if (server.db.kind === 'postgres') {
    const { rows } = await server.db.query<{ schema: string }>('select current_schema() as schema');
    db = await openDb({ databaseUrl: pgUrl, schema: rows[0]!.schema, poolSize: 20 });
    opened.push(db);
  }
  const app = await buildApp({ db, today: () => TODAY, ...options });
  apps.push(app);
  return app;
}
const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

/** Every balance equals the sum of its ledger movements, and none is negative. */
export async function expectLedgerMatchesBalances(db: Db): Promise<void> {
  const { rows } = await db.query(
    `select coalesce(s.id, m.stock_id) as id, s.qty, m.total from stock s
     full join (select stock_id, sum(delta)::int as total from stock_movements group by stock_id) m on m.stock_id = s.id
     where coalesce(s.qty, 0) <> coalesce(m.total, 0) or s.qty < 0`,
  );
  expect(rows).toEqual([]);
}

/**
 * After each test of the suite, checks the ledger of the server `current` answers (the one the
 * test started) and closes it.
 */
export function checkAndCloseAfterEach(current: () => TestServer): void {
  afterEach(async () => {
    const server = current();
    await expectLedgerMatchesBalances(server.db);
    await server.app.close();
  });
}

/** The rows the server holds now that a user of `ownerIds` (null: every owner) may see, by `table/id`. */
export async function serverRows(server: TestServer, ownerIds: readonly string[] | null): Promise<Map<string, unknown>> {
  const { rows } = await server.db.query<{ tbl: string; id: string; row: Record<string, unknown> }>('select tbl, id, row from sync_rows where not deleted');
  const visible = rows.filter((r) => {
    const owner = r.tbl === 'owners' ? r.row['id'] : (r.row['ownerId'] ?? null);
    return ownerIds === null || owner === null || ownerIds.includes(owner as string);
  });
  return new Map(visible.map((r) => [`${r.tbl}/${r.id}`, r.row]));
}
