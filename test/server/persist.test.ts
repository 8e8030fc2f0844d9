// Effects as the server writes them: a balance, its ledger row and its feed entry move together,
// and no effect can take a balance below zero.
import { describe, expect, it } from 'vitest';
import { persistEffects, NegativeBalanceError } from '../../server/sync/persist';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';

const by = { mutationId: null, userId: null, deviceId: null, reason: 'test' };
const effect = (delta: number) => ({ kind: 'stock' as const, ownerId: 'own-a', locationId: 'loc-a01', productId: 'prd-a1', lot: null, expiry: null, lpn: null, delta });

describe.each(BACKENDS)('persisting effects on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('refuses to take more than a balance holds, writing nothing', async () => {
    server = await startTestServer(backend);
    await expect(server.db.transaction((tx) => persistEffects(tx, [effect(-6)], by))).rejects.toBeInstanceOf(NegativeBalanceError);
    const { rows } = await server.db.query<{ qty: number }>("select qty from stock where id = 'loc-a01|prd-a1||'");
    expect(rows).toEqual([{ qty: 5 }]);
  });

  it('removes an emptied balance and publishes its deletion', async () => {
    server = await startTestServer(backend);
    await server.db.transaction((tx) => persistEffects(tx, [effect(-5)], by));
    expect((await server.db.query("select * from stock where id = 'loc-a01|prd-a1||'")).rows).toEqual([]);
    const { rows } = await server.db.query<{ deleted: boolean; row: unknown }>("select deleted, row from sync_rows where tbl = 'stock' and id = 'loc-a01|prd-a1||'");
    expect(rows).toEqual([{ deleted: true, row: null }]);
    await server.db.transaction((tx) => persistEffects(tx, [effect(2)], by));
    const again = await server.db.query<{ deleted: boolean; row: unknown }>("select deleted, row from sync_rows where tbl = 'stock' and id = 'loc-a01|prd-a1||'");
    expect(again.rows).toEqual([{ deleted: false, row: { id: 'loc-a01|prd-a1||', ownerId: 'own-a', locationId: 'loc-a01', productId: 'prd-a1', lot: null, expiry: null, lpn: null, qty: 2 } }]);
  });
});
