// An order closed short waits on hold (SHORT_PACKED) for a supervisor: released, it ships what is
// packed and its short_packed exception is resolved by them; cancelled, its units become the
// cancelled_after_pick exception; a supervisor's hold or a store's new version leaves it as it is.
// The short close itself is set up in SQL here. PGlite, and PostgreSQL when TEST_DATABASE_URL is set.
import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../src/domain/order-intake';
import { intake } from '../factories/orders';
import { mutation, pickArgs, push } from './client';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';

/** Beta's order #2001: 2 tents, on pick line pln-4. */
const ORDER = '5234567890123456791';

/** The order as a short close leaves it: `packed` of its units in a closed carton, on hold, with an open exception. */
async function closeShort(server: TestServer, orderId: string, packed: number): Promise<void> {
  await server.db.query(`update order_lines set packed_qty = $2 where order_id = $1`, [orderId, packed]);
  await server.db.query(`update orders set status = 'on_hold', hold_reason = 'SHORT_PACKED', hold_details = '{"reason": "damaged"}' where id = $1`, [orderId]);
  await server.db.query(
    `insert into order_exceptions (owner_id, order_id, kind, details) select owner_id, id, 'short_packed', '{"reason": "damaged", "carton": "1"}' from orders where id = $1`,
    [orderId],
  );
}

async function exceptions(server: TestServer, orderId: string) {
  const { rows } = await server.db.query<{ kind: string; resolved: boolean; resolved_by: string | null }>(
    'select kind, resolved_at is not null as resolved, resolved_by from order_exceptions where order_id = $1 order by id',
    [orderId],
  );
  return rows;
}

describe.each(BACKENDS)('a short-packed order on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('released by a supervisor, ships what is packed: packed on devices, its exception resolved by them; a hold changes nothing', async () => {
    server = await startTestServer(backend);
    const picker = await server.signIn('beta', '3333');
    expect((await push(server.app, picker, [mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2))])).body.results[0]!.status).toBe('applied');
    await closeShort(server, ORDER, 1);

    const supervisor = await server.signIn('supervisor', '2222');
    const held = await server.app.inject({ method: 'POST', url: `/api/supervisor/orders/${ORDER}/hold`, headers: supervisor });
    expect(held.json()).toMatchObject({ status: 'on_hold', holdReason: 'SHORT_PACKED' });

    const released = await server.app.inject({ method: 'POST', url: `/api/supervisor/orders/${ORDER}/release`, headers: supervisor });
    expect(released.statusCode, released.body).toBe(200);
    const view = released.json<OrderView>();
    expect(view).toMatchObject({ status: 'packed', holdReason: null, holdDetails: null });
    expect(view.lines).toMatchObject([{ qty: 2, pickedQty: 2, packedQty: 1 }]);
    expect(view.exceptions).toMatchObject([{ kind: 'short_packed', resolvedAt: expect.any(String) }]);
    const { rows: users } = await server.db.query<{ id: string }>(`select id from users where username = 'supervisor'`);
    expect(await exceptions(server, ORDER)).toEqual([{ kind: 'short_packed', resolved: true, resolved_by: users[0]!.id }]);
    // Devices get the order as packed, ready for its carrier label.
    const { rows: feed } = await server.db.query<{ row: { status: string } }>(`select row from sync_rows where tbl = 'orders' and id = $1 and not deleted`, [ORDER]);
    expect(feed[0]!.row.status).toBe('packed');
    const { rows: lines } = await server.db.query<{ status: string }>(`select status from pick_lines where id = 'pln-4'`);
    expect(lines[0]!.status).toBe('done');
  });

  it('cancelled, its picked and packed units become a cancelled_after_pick exception and the short pack is settled', async () => {
    server = await startTestServer(backend);
    const picker = await server.signIn('beta', '3333');
    expect((await push(server.app, picker, [mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2))])).body.results[0]!.status).toBe('applied');
    await closeShort(server, ORDER, 1);

    const admin = await server.signIn('admin', '9999');
    const cancelled = await server.app.inject({ method: 'POST', url: `/api/orders/${ORDER}/cancel`, headers: admin });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ outcome: 'exception', order: { status: 'cancelled' } });
    expect(await exceptions(server, ORDER)).toEqual([
      { kind: 'short_packed', resolved: true, resolved_by: null },
      { kind: 'cancelled_after_pick', resolved: false, resolved_by: null },
    ]);
    const { rows } = await server.db.query<{ details: { picked: { qty: number; stagingLocationId: string }[]; packed: { qty: number }[] } }>(
      `select details from order_exceptions where order_id = $1 and kind = 'cancelled_after_pick'`,
      [ORDER],
    );
    expect(rows[0]!.details).toMatchObject({ picked: [{ qty: 2, stagingLocationId: 'loc-pack' }], packed: [{ qty: 1 }] });
  });

  it('keeps its lines when the store sends a new version of it', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const posted = await server.app.inject({ method: 'POST', url: '/api/orders', headers: admin, payload: { owner: 'BETA', ...intake('#3100', [{ sku: 'BETA-TNT', qty: 3 }]) } });
    expect(posted.statusCode, posted.body).toBe(201);
    const id = posted.json<{ order: OrderView }>().order.id;
    await server.app.allocation.settle();
    await closeShort(server, id, 2);

    const changed = await server.app.inject({ method: 'POST', url: '/api/orders', headers: admin, payload: { owner: 'BETA', ...intake('#3100', [{ sku: 'BETA-TNT', qty: 5 }]) } });
    expect(changed.json()).toMatchObject({ outcome: 'unchanged', order: { status: 'on_hold', holdReason: 'SHORT_PACKED', lines: [{ qty: 3, packedQty: 2 }] } });
  });
});
