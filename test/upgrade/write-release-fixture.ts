// Writes an upgrade fixture: a device database exactly as a released version of the app left it.
// Runs inside a copy of that release's tree, with its own code: see write-release-fixture.sh.
import 'fake-indexeddb/auto';
import { writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { it } from 'vitest';
import { signIn } from '../../src/features/sign-in/commands';
import { DockhandDb } from '../../src/storage/db';
import { submitMutation } from '../../src/storage/outbox';
import { SyncEngine } from '../../src/sync/engine';
import { startTestServer } from '../server/harness';
import { fixtureWarehouse, TODAY } from '../server/fixture';
import { RELEASE_EXTRA_ROWS, RELEASE_SCANS, type ReleaseFixture } from './release-scans';

/** A fetch that hands each request to the in-process server. */
function serverFetch(app: FastifyInstance): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input), 'http://dockhand.test');
    const response = await app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers: init?.headers as Record<string, string>,
      payload: init?.body as string | undefined,
    });
    return new Response(response.statusCode === 204 ? null : response.body, {
      status: response.statusCode,
      headers: { 'content-type': String(response.headers['content-type'] ?? '') },
    });
  };
}

it('writes the fixture', async () => {
  const out = process.env['RELEASE_FIXTURE_OUT'];
  const release = process.env['RELEASE_COMMIT'];
  if (!out || !release) throw new Error('Set RELEASE_FIXTURE_OUT and RELEASE_COMMIT.');
  const data = fixtureWarehouse();
  for (const [table, rows] of Object.entries(RELEASE_EXTRA_ROWS)) {
    const tables = data.rows as Record<string, unknown[] | undefined>;
    tables[table] = [...(tables[table] ?? []), ...rows];
  }
  const server = await startTestServer('pglite', data);
  const fetch = serverFetch(server.app);
  const db = new DockhandDb('release-fixture');
  const signedIn = await signIn('operator', '1111', { db, fetch, isOnline: () => true });
  if (!signedIn.ok) throw new Error(`sign-in failed: ${JSON.stringify(signedIn)}`);
  const session = (await db.meta.get('session'))!.value as { token: string };
  const engine = new SyncEngine({ db, token: session.token, fetch, today: () => TODAY, persist: async () => true, onVisible: () => () => {} });
  // The first load, online; then every scan below is confirmed offline and waits in the outbox.
  const loaded = await engine.syncNow();
  engine.stop();
  if (!loaded.ok) throw new Error(`first load failed: ${JSON.stringify(loaded)}`);

  for (const [index, scan] of RELEASE_SCANS.entries()) {
    const now = new Date(Date.parse(`${TODAY}T09:00:00Z`) + index * 60_000);
    const submitted = await submitMutation(db, { ...scan, today: TODAY, now } as Parameters<typeof submitMutation>[1]);
    if (!submitted.ok) throw new Error(`${scan.type} refused: ${JSON.stringify(submitted.rejection)}`);
  }

  const tables: Record<string, unknown[]> = {};
  for (const table of db.tables) tables[table.name] = await table.toArray();
  const fixture: ReleaseFixture = { release, dexieVersion: db.verno, tables };
  writeFileSync(out, `${JSON.stringify(fixture, null, 1)}\n`);
  db.close();
  await server.app.close();
});
