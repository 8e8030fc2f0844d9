// Allocation under concurrency, on two API servers over one database (on PostgreSQL each with its
// own connection pool): intakes through both at once, racing picks and moves of the same stock,
// both servers allocating. Never two orders promised one unit, never a list for stock that is
// gone, never an order taken in or allocated twice.
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, checkAndCloseAfterEach, secondServer, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, push } from './client';
import { intake } from '../factories/orders';

/**
 * Every open promise of `productId` fits the loose stock of its bin (the fixture's grinder is
 * promised twice on purpose), and every allocated order is on lists exactly once.
 */
async function expectAllocationSound(server: TestServer, productId = 'prd-b1'): Promise<void> {
  const overPromised = await server.db.query(
    `select p.location_id, p.product_id, sum(p.qty - p.picked_qty - p.short_qty)::int as promised, coalesce(max(s.qty), 0) as on_hand
     from pick_lines p join pick_lists l on l.id = p.pick_list_id
     left join stock s on s.id = p.location_id || '|' || p.product_id || '|' || coalesce(p.lot, '') || '|'
     where p.status = 'open' and l.status <> 'cancelled' and p.product_id = $1
     group by p.location_id, p.product_id having sum(p.qty - p.picked_qty - p.short_qty) > coalesce(max(s.qty), 0)`,
    [productId],
  );
  expect(overPromised.rows).toEqual([]);
  const badlyCovered = await server.db.query(
    `select o.number, ol.id, ol.qty, coalesce(sum(p.qty), 0)::int as on_lists from orders o join order_lines ol on ol.order_id = o.id
     left join pick_lines p on p.order_line_id = ol.id and p.status <> 'cancelled'
     where o.status = 'allocated' group by o.number, ol.id, ol.qty having coalesce(sum(p.qty), 0) <> ol.qty`,
  );
  expect(badlyCovered.rows).toEqual([]);
  const waitingOnLists = await server.db.query(
    `select o.number from orders o join pick_lines p on p.order_id = o.id and p.status <> 'cancelled' where o.status in ('open', 'backordered', 'on_hold')`,
  );
  expect(waitingOnLists.rows).toEqual([]);
}

describe.each(BACKENDS)('allocation races on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('two servers taking orders in and allocating while pickers pick and move the same stock', async () => {
    server = await startTestServer(backend);
    const other = await secondServer(server);
    const servers: FastifyInstance[] = [server.app, other];
    const admin = await server.signIn('admin', '9999');
    const operator = await server.signIn('beta', '3333');
    let seq = 0;
    for (let round = 0; round < 3; round++) {
      // B-01 holds the tents; every round brings 6 more to the dock and races for them.
      const received = await push(server.app, operator, [mutation(++seq, 'receive', { receiptId: 'rcp-b', productId: 'prd-b1', qty: 6 })]);
      expect(received.body.results[0]!.status).toBe('applied');
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 12; i++) {
        const app = servers[i % 2]!;
        const number = `#R${round}-${i}`;
        // Each order sent twice, once to each server: it must be taken in once.
        for (const target of [app, servers[(i + 1) % 2]!]) {
          work.push(target.inject({ method: 'POST', url: '/api/orders', headers: admin, payload: { owner: 'BETA', ...intake(number, [{ sku: 'BETA-TNT', qty: 1 + (i % 2) }]) } }));
        }
      }
      // Meanwhile: stock put away into B-01, units moved out of it, and a pick of a promised unit.
      const moves = push(servers[round % 2]!, operator, [
        mutation(++seq, 'move', { productId: 'prd-b1', fromLocationId: 'loc-dock', toLocationId: 'loc-b01', qty: 6 }),
        mutation(++seq, 'move', { productId: 'prd-b1', fromLocationId: 'loc-b01', toLocationId: 'loc-a02', qty: 2 }),
      ]);
      work.push(moves);
      const answers = await Promise.all(work);
      const intakes = answers.filter((a): a is { statusCode: number; body: string } => typeof a === 'object' && a !== null && 'statusCode' in a);
      expect(intakes.filter((a) => a.statusCode !== 200 && a.statusCode !== 201).map((a) => a.body)).toEqual([]);
      for (const app of servers) app.allocation.request();
      await Promise.all(servers.map((app) => app.allocation.settle()));
      await expectAllocationSound(server);
    }
    // A pick of each open line's units, through both servers at once: every one lands or is refused cleanly.
    const { rows: open } = await server.db.query<{ id: string; location_id: string; product_id: string }>(
      `select p.id, p.location_id, p.product_id from pick_lines p join pick_lists l on l.id = p.pick_list_id where p.status = 'open' and l.status = 'open' and p.product_id = 'prd-b1' order by p.id limit 6`,
    );
    const picks = open.map((line) => mutation(++seq, 'pick', pickArgs(line.id, line.location_id, line.product_id, 1)));
    const picked = await push(server.app, operator, picks);
    expect(picked.body.results.every((r) => r.status === 'applied')).toBe(true);
    await expectAllocationSound(server);

    const { rows } = await server.db.query<{ number: string; n: number }>(`select number, count(*)::int as n from orders where number like '#R%' group by number having count(*) > 1`);
    expect(rows).toEqual([]);
    const { rows: statuses } = await server.db.query<{ status: string; n: number }>(`select status, count(*)::int as n from orders where number like '#R%' group by status order by status`);
    expect(statuses.reduce((sum, s) => sum + s.n, 0)).toBe(36);
    expect(statuses.map((s) => s.status).every((s) => s === 'allocated' || s === 'backordered')).toBe(true);
  });
});
