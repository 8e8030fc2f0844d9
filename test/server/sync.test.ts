// The sync protocol against the real server on PGlite and, when TEST_DATABASE_URL is set, on
// PostgreSQL: exactly-once push, gaps, rejections, lost responses, races, pull order and scope.
import { describe, expect, it } from 'vitest';
import { BACKENDS, checkAndCloseAfterEach, serverRows, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, pull, pullAll, push } from './client';

async function stockQty(server: TestServer, locationId: string, productId: string): Promise<number> {
  const { rows } = await server.db.query<{ qty: number }>('select coalesce(sum(qty), 0)::int as qty from stock where location_id = $1 and product_id = $2', [locationId, productId]);
  return rows[0]!.qty;
}

describe.each(BACKENDS)('sync on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('applies a pushed mutation and answers a replay with the stored result, applying it once', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const pick = mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'));
    const first = await push(server.app, device, [pick]);
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([expect.objectContaining({ mutationId: pick.id, seq: 1, status: 'applied', code: null })]);
    const replay = await push(server.app, device, [pick]);
    expect(replay.status).toBe(200);
    expect(replay.body.results).toEqual(first.body.results);
    expect(await stockQty(server, 'loc-a01', 'prd-a1')).toBe(4);
    expect(await stockQty(server, 'loc-pack', 'prd-a1')).toBe(1);
  });

  it('refuses a sequence gap with 409 and the expected sequence, changing nothing', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const gap = await push(server.app, device, [mutation(3, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ error: 'SEQUENCE_GAP', expectedSeq: 1 });
    expect(await stockQty(server, 'loc-a01', 'prd-a1')).toBe(5);
  });

  it('stores a rejection, advances the sequence and applies the next mutation', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const wrongBin = mutation(1, 'pick', pickArgs('pln-1', 'loc-a02', 'prd-a1'));
    const right = mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 2));
    const { status, body } = await push(server.app, device, [wrongBin, right]);
    expect(status).toBe(200);
    expect(body.results[0]).toMatchObject({ seq: 1, status: 'rejected', code: 'WRONG_LOCATION' });
    expect(body.results[0]!.message).toContain('A-01-1');
    expect(body.results[1]).toMatchObject({ seq: 2, status: 'applied' });
    expect(await stockQty(server, 'loc-a01', 'prd-a1')).toBe(3);
    const again = await pullAll(server.app, device);
    expect(again.results.map((r) => [r.seq, r.status])).toEqual([[1, 'rejected'], [2, 'applied']]);
    expect(again.nextSeq).toBe(3);
  });

  it('after a response lost past commit, pull returns the result and a retry applies nothing twice', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const pick = mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 3));
    await push(server.app, device, [pick]); // the device never sees this answer
    const { results } = await pullAll(server.app, device);
    expect(results).toEqual([expect.objectContaining({ mutationId: pick.id, status: 'applied' })]);
    const retry = await push(server.app, device, [pick, mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    expect(retry.body.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect(retry.body.results[1]!.code).toBe('LINE_CLOSED');
    expect(await stockQty(server, 'loc-a01', 'prd-a1')).toBe(2);
    const { rows } = await server.db.query<{ n: number }>("select count(*)::int as n from stock_movements where reason = 'pick'");
    expect(rows[0]!.n).toBe(2);
  });

  it('gives the last unit to exactly one of two devices racing for it', async () => {
    server = await startTestServer(backend);
    const [one, two] = await Promise.all([server.signIn('operator', '1111'), server.signIn('supervisor', '2222')]);
    const [a, b] = await Promise.all([
      push(server.app, one, [mutation(1, 'pick', pickArgs('pln-2', 'loc-a02', 'prd-a2'))]),
      push(server.app, two, [mutation(1, 'pick', pickArgs('pln-3', 'loc-a02', 'prd-a2'))]),
    ]);
    const results = [a.body.results[0]!, b.body.results[0]!];
    expect(results.filter((r) => r.status === 'applied')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => r.code)).toEqual(['INSUFFICIENT_STOCK']);
    expect(await stockQty(server, 'loc-a02', 'prd-a2')).toBe(0);
  });

  it('pages pull by cursor, returns each row once at its latest version, and sends deletions', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const first = await pullAll(server.app, device, '', 4);
    const ids = first.changes.map((c) => `${c.table}/${c.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('products/prd-b1');
    expect(ids).toContain('pickLines/pln-4');

    await push(server.app, device, [mutation(1, 'pick', pickArgs('pln-2', 'loc-a02', 'prd-a2'))]);
    const next = await pullAll(server.app, device, first.cursor, 4);
    expect(next.changes).toContainEqual({ table: 'stock', id: 'loc-a02|prd-a2||', op: 'delete', row: null });
    expect(next.changes).toContainEqual(expect.objectContaining({ table: 'pickLines', id: 'pln-2', op: 'put', row: expect.objectContaining({ pickedQty: 1, status: 'done' }) }));
    const nothing = await pull(server.app, device, { cursor: next.cursor });
    expect(nothing.body.changes).toEqual([]);
    expect(nothing.body.hasMore).toBe(false);
  });

  it('never lets pull skip a row while devices commit concurrently', { timeout: 20000 }, async () => {
    server = await startTestServer(backend);
    // One after another: sign-in holds a failure per PIN check in flight (server/sign-in-guard.ts),
    // so six at the same instant for one account would meet its limit of five.
    const devices = [];
    for (let i = 0; i < 6; i++) devices.push(await server.signIn('operator', '1111'));
    const watcher = await server.signIn('supervisor', '2222');
    const seen = new Map<string, unknown>();
    let cursor = (await pullAll(server.app, watcher)).cursor;
    let pushing = true;
    const pushes = Promise.all(devices.map(async (device, index) => {
      // Each device receives one unit at a time into the dock: many small commits.
      for (let seq = 1; seq <= 8; seq++) {
        const { body } = await push(server.app, device, [mutation(seq, 'receive', { receiptId: 'rcp-b', productId: 'prd-b1', qty: 1, lpn: `LPN-${index}-${seq}` })]);
        expect(body.results[0]!.status).toBe('applied');
      }
    })).finally(() => { pushing = false; });
    while (pushing) {
      const page = await pullAll(server.app, watcher, cursor, 7);
      for (const change of page.changes) seen.set(`${change.table}/${change.id}`, change.row);
      cursor = page.cursor;
      // Embedded PGlite answers within microtasks: let the pushes' macrotasks run between pulls.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await pushes;
    const last = await pullAll(server.app, watcher, cursor, 7);
    for (const change of last.changes) seen.set(`${change.table}/${change.id}`, change.row);

    const expected = await serverRows(server, null);
    const changedDuringRun = [...expected.keys()].filter((key) => key.startsWith('stock/loc-dock'));
    expect(changedDuringRun.length).toBeGreaterThan(0);
    for (const key of changedDuringRun) expect(seen.get(key), key).toEqual(expected.get(key));
    expect(seen.get('receiptLines/rcl-b1')).toEqual(expect.objectContaining({ receivedQty: 48 }));
  });

  if (backend === 'postgres') {
    it('holds back a later commit while an earlier transaction is still open', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      const { cursor } = await pullAll(server.app, device);
      let release!: () => void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      let started!: () => void;
      const isOpen = new Promise<void>((resolve) => { started = resolve; });
      // T1 takes a transaction id and writes a row, then waits before committing.
      const t1 = server.db.transaction(async (tx) => {
        await tx.query("update owners set name = 'Acme Coffee Co' where id = 'own-a'");
        await tx.query(`insert into sync_rows (tbl, id, owner_id, row) values ('owners', 'own-a', 'own-a', $1::jsonb)
          on conflict (tbl, id) do update set row = excluded.row, xid = pg_current_xact_id(), seq = nextval('sync_seq')`,
        [JSON.stringify({ id: 'own-a', code: 'ACME', name: 'Acme Coffee Co', overReceiptTolerancePct: 10, allowUnexpectedItems: false })]);
        started();
        await held;
      });
      await isOpen;
      // T2 starts later, commits first.
      const applied = await push(server.app, device, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
      expect(applied.body.results[0]!.status).toBe('applied');
      const during = await pullAll(server.app, device, cursor);
      expect(during.changes).toEqual([]);
      release();
      await t1;
      const after = await pullAll(server.app, device, during.cursor);
      const keys = after.changes.map((c) => `${c.table}/${c.id}`);
      expect(keys).toContain('owners/own-a');
      expect(keys).toContain('pickLines/pln-1');
    });
  }
});
