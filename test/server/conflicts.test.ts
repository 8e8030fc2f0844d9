// Conflicting floor work from two devices: the warehouse rules decide, exactly one is applied,
// the other is rejected with the reason; every movement names its user, device and mutation.
import { describe, expect, it } from 'vitest';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, push } from './client';

describe.each(BACKENDS)('conflicts on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('two devices receiving one line past its tolerance: one applied, one rejected with the numbers', async () => {
    server = await startTestServer(backend);
    const [one, two] = await Promise.all([server.signIn('operator', '1111'), server.signIn('supervisor', '2222')]);
    // Expected 10 with a 10% tolerance: 11 may be received; 6 + 6 would be 12.
    const receive = () => mutation(1, 'receive', { receiptId: 'rcp-a', productId: 'prd-a1', qty: 6 });
    const [a, b] = await Promise.all([push(server.app, one, [receive()]), push(server.app, two, [receive()])]);
    const results = [a.body.results[0]!, b.body.results[0]!];
    expect(results.map((r) => r.status).sort()).toEqual(['applied', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected')!;
    expect(rejected.code).toBe('OVER_RECEIPT');
    expect(rejected.message).toMatch(/11/);
    const { rows } = await server.db.query<{ received_qty: number }>("select received_qty from receipt_lines where id = 'rcl-a1'");
    expect(rows[0]!.received_qty).toBe(6);
  });

  it('putaway of stock another device already moved is rejected', async () => {
    server = await startTestServer(backend);
    const [one, two] = await Promise.all([server.signIn('operator', '1111'), server.signIn('supervisor', '2222')]);
    expect((await push(server.app, one, [mutation(1, 'receive', { receiptId: 'rcp-a', productId: 'prd-a1', qty: 4 })])).body.results[0]!.status).toBe('applied');
    const putaway = (seq: number) => mutation(seq, 'move', { productId: 'prd-a1', fromLocationId: 'loc-dock', toLocationId: 'loc-a01', qty: 4, suggestedLocationId: 'loc-a01' });
    const first = await push(server.app, one, [putaway(2)]);
    const second = await push(server.app, two, [putaway(1)]);
    expect(first.body.results[0]!.status).toBe('applied');
    expect(second.body.results[0]).toMatchObject({ status: 'rejected', code: 'INSUFFICIENT_STOCK' });
    const { rows } = await server.db.query<{ location_id: string; qty: number }>("select location_id, qty from stock where product_id = 'prd-a1' order by location_id");
    expect(rows).toEqual([{ location_id: 'loc-a01', qty: 9 }]);
  });

  it('records user, device and mutation on every ledger movement', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const receive = mutation(1, 'receive', { receiptId: 'rcp-a', productId: 'prd-a1', qty: 2 });
    const move = mutation(2, 'move', { productId: 'prd-a1', fromLocationId: 'loc-dock', toLocationId: 'loc-a01', qty: 2, suggestedLocationId: 'loc-a01' });
    await push(server.app, device, [receive, move]);
    const { rows } = await server.db.query<{ mutation_id: string; user_id: string; device_id: string; reason: string; delta: number; location_id: string }>(
      "select mutation_id, user_id, device_id, reason, delta, location_id from stock_movements where reason <> 'opening balance' order by id",
    );
    const { rows: users } = await server.db.query<{ id: string }>("select id from users where username = 'operator'");
    expect(rows).toEqual([
      { mutation_id: receive.id, user_id: users[0]!.id, device_id: device.deviceId, reason: 'receive', delta: 2, location_id: 'loc-dock' },
      { mutation_id: move.id, user_id: users[0]!.id, device_id: device.deviceId, reason: 'move', delta: -2, location_id: 'loc-dock' },
      { mutation_id: move.id, user_id: users[0]!.id, device_id: device.deviceId, reason: 'move', delta: 2, location_id: 'loc-a01' },
    ]);
  });

  it('keeps what every mutation said, reasons included, applied or rejected', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const receive = mutation(1, 'receive', { receiptId: 'rcp-a', productId: 'prd-a1', qty: 2 });
    const other = { productId: 'prd-a1', fromLocationId: 'loc-dock', toLocationId: 'loc-b01', qty: 2, suggestedLocationId: 'loc-a01', overrideReason: 'Pick face is full' };
    const move = mutation(2, 'move', other);
    const future = mutation(3, 'restock', { returnId: 'ret-x', productId: 'prd-a1', qty: 1, disposition: 'restock', toLocationId: 'loc-a01' }, 9);
    const results = (await push(server.app, device, [receive, move, future])).body.results;
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    const { rows } = await server.db.query<{ mutation_id: string; status: string; version: number; args: Record<string, unknown> }>(
      'select mutation_id, status, version, args from mutation_results order by seq',
    );
    expect(rows).toEqual([
      { mutation_id: receive.id, status: 'applied', version: 1, args: receive.args },
      { mutation_id: move.id, status: 'applied', version: 1, args: other },
      { mutation_id: future.id, status: 'rejected', version: 9, args: future.args },
    ]);
  });
});
