// Pick-list claims through the real server: two devices that both opened one list offline meet
// here — the first claim holds, the second is refused naming who holds it (never blocking its
// picks), and a take-over is applied. The name is the server's, whatever the device sent.
import { describe, expect, it } from 'vitest';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, push } from './client';

describe.each(BACKENDS)('pick-list claims on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('keeps the first claim, refuses the second with who holds it, and applies a take-over', async () => {
    server = await startTestServer(backend);
    const first = await server.signIn('operator', '1111');
    const second = await server.signIn('supervisor', '2222');
    expect((await push(server.app, first, [mutation(1, 'claim-pick-list', { pickListId: 'pl-1' })])).body.results[0]!.status).toBe('applied');
    const refused = (await push(server.app, second, [
      mutation(1, 'claim-pick-list', { pickListId: 'pl-1' }),
      // A claim never blocks a pick: the lines' own rules decide.
      mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 1)),
    ])).body.results;
    expect(refused[0]).toMatchObject({ status: 'rejected', code: 'CLAIMED' });
    expect(refused[0]!.message).toMatch(/^Pick list PL-000001 is held by Olivia Operator since \d\d:\d\d\. Take it over only if they have stopped\.$/);
    expect(refused[1]!.status).toBe('applied');
    expect((await push(server.app, second, [mutation(3, 'claim-pick-list', { pickListId: 'pl-1', takeOver: true })])).body.results[0]!.status).toBe('applied');
    const { rows } = await server.db.query<{ claimed_by_name: string }>('select claimed_by_name from pick_lists where id = $1', ['pl-1']);
    expect(rows[0]!.claimed_by_name).toBe('Sam Supervisor');
  });
});

describe.each(BACKENDS)('pulls by the tables an app knows, on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('sends an app of the release before cartons no carton rows, and one that knows them all of them', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    const tablesOf = async (headers: Record<string, string>) => {
      const tables = new Set<string>();
      let cursor = '';
      for (let page = 0; page < 50; page++) {
        const answer = await server.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=1000`, headers: { ...operator, ...headers } });
        const body = answer.json<{ changes: { table: string }[]; cursor: string; hasMore: boolean }>();
        for (const change of body.changes) tables.add(change.table);
        cursor = body.cursor;
        if (!body.hasMore) break;
      }
      return tables;
    };
    expect((await tablesOf({})).has('cartonTypes')).toBe(false);
    expect((await tablesOf({ 'dockhand-sync-schema': '2' })).has('cartonTypes')).toBe(true);
  });

  it('brings an app that learnt the carton tables their rows in full with its next pull', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    // The release before cartons walks to the end of the feed without them.
    let cursor = '';
    for (let page = 0; page < 50; page++) {
      const body = (await server.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=1000`, headers: operator })).json<{ cursor: string; hasMore: boolean }>();
      cursor = body.cursor;
      if (!body.hasMore) break;
    }
    const upgraded = await server.app.inject({
      method: 'GET',
      url: `/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=1000`,
      headers: { ...operator, 'dockhand-sync-schema': '2', 'dockhand-sync-backfill': 'cartonTypes,cartons,cartonLines,users' },
    });
    const changes = upgraded.json<{ changes: { table: string; id: string }[] }>().changes;
    expect(changes.filter((change) => change.table === 'cartonTypes').map((change) => change.id).sort()).toEqual(['box-a', 'box-b']);
    expect(changes.some((change) => change.table === 'users')).toBe(false);
  });
});
