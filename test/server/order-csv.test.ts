// Orders from a CSV file through the real server: spreadsheet dialects (quotes, BOM, `;`), an
// order's lines scattered through the file, every bad row named with its line and nothing of
// such a file imported, the same file twice creating nothing twice, and the orders allocated.
// On PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../src/domain/order-intake';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';

const HEADER = 'order_number,order_date,ship_by,shipping_method,ship_to_name,ship_to_address1,ship_to_address2,ship_to_city,ship_to_postal_code,ship_to_country,sku,quantity';

async function upload(server: TestServer, headers: Record<string, string>, csv: string | Buffer, owner = 'BETA') {
  const response = await server.app.inject({ method: 'POST', url: `/api/orders/import?owner=${owner}`, headers: { ...headers, 'content-type': 'text/csv' }, payload: csv });
  return { status: response.statusCode, body: response.json<{ rows: number; orders: { created: number; updated: number; unchanged: number }; error?: string; errors?: { line: number; column: string | null; message: string }[] }>() };
}

async function orders(server: TestServer): Promise<{ number: string; status: string; lines: number; ship_to: { address1: string; city: string; country: string } }[]> {
  const { rows } = await server.db.query<{ number: string; status: string; lines: number; ship_to: { address1: string; city: string; country: string } }>(
    `select o.number, o.status, o.ship_to, (select count(*)::int from order_lines l where l.order_id = o.id) as lines from orders o where o.source = 'csv' order by o.number`,
  );
  return rows;
}

describe.each(BACKENDS)('orders CSV import on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('reads quoted fields, a BOM and an order’s lines scattered through the file; allocates the orders', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const csv = [
      HEADER,
      'PO-1,2026-11-24,2026-11-26,Express,"Moreno, Isabella","Flat 2, 14 Quay St","Rear entrance\nring twice",Bristol,BS1 4RN,gb,BETA-TNT,2',
      'PO-2,2026-11-24T08:30,,Standard,Tom Bell,1 High St,,York,YO1 7HH,GB,BETA-TNT,1',
      'PO-1,2026-11-24,2026-11-26,Express,"Moreno, Isabella","Flat 2, 14 Quay St","Rear entrance\nring twice",Bristol,BS1 4RN,gb,BETA-TNT,1',
    ].join('\r\n');
    const first = await upload(server, admin, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ rows: 3, orders: { created: 2, updated: 0, unchanged: 0 } });
    const stored = await orders(server);
    expect(stored.map((o) => [o.number, o.lines])).toEqual([['PO-1', 2], ['PO-2', 1]]);
    expect(stored[0]!.ship_to).toMatchObject({ address1: 'Flat 2, 14 Quay St', city: 'Bristol', country: 'GB' });

    // The same file again creates nothing twice.
    const again = await upload(server, admin, csv);
    expect(again.body).toEqual({ rows: 3, orders: { created: 0, updated: 0, unchanged: 2 } });
    await server.app.allocation.settle();
    expect((await orders(server)).map((o) => o.status)).toEqual(['allocated', 'allocated']);
  });

  it('takes `;` separators and decimal-comma locales’ files', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const csv = `${HEADER.replaceAll(',', ';')}\nDE-77;2026-11-24;;DHL Paket;Jonas Müller;Hauptstraße 5, Hinterhaus;;Köln;50667;DE;BETA-TNT;1\n`;
    const result = await upload(server, admin, csv);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect((await orders(server))[0]).toMatchObject({ number: 'DE-77', ship_to: { address1: 'Hauptstraße 5, Hinterhaus', city: 'Köln' } });
  });

  it('names every bad row by its line and imports nothing of a file with errors', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const csv = [
      HEADER,
      'OK-1,2026-11-24,,,Ann,1 Road,,Leeds,LS1,GB,BETA-TNT,1',
      'BAD-1,24/11/2026,,,Ann,1 Road,,Leeds,LS1,GB,BETA-TNT,1',
      'BAD-2,2026-11-24,,,Bo,2 Road,,Leeds,LS1,GB,BETA-TNT,0',
      'BAD-3,2026-11-24,,,Cy,3 Road,,Leeds,LS1,GB,NO-SUCH-SKU,1',
      'OK-1,2026-11-24,,,Ann,9 Other Road,,Leeds,LS1,GB,BETA-TNT,1',
      'BAD-4,2026-11-24,,,Di,4 Road,,Leeds,LS1,Britain,BETA-TNT,1',
    ].join('\n');
    const result = await upload(server, admin, csv);
    expect(result.status).toBe(422);
    expect(result.body.error).toBe('INVALID_CSV');
    const byLine = new Map(result.body.errors!.map((e) => [e.line, e]));
    expect(byLine.get(3)).toMatchObject({ column: 'order_date' });
    expect(byLine.get(4)).toMatchObject({ column: 'quantity' });
    expect(byLine.get(7)).toMatchObject({ column: 'ship_to_country' });
    expect(byLine.get(7)!.message).toContain('two-letter');
    // What only the whole file shows is reported in the same answer: an order whose lines
    // disagree, a SKU that is none of the owner's products.
    expect(byLine.get(6)).toMatchObject({ column: 'ship_to_address1', message: expect.stringContaining('than on line 2') });
    expect(byLine.get(5)).toMatchObject({ column: 'sku', message: expect.stringContaining('NO-SUCH-SKU') });
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
    expect(await orders(server)).toEqual([]);
  });

  it('an API key imports for its own owner only', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const created = await server.app.inject({ method: 'POST', url: '/api/admin/integrations', headers: admin, payload: { owner: 'BETA', name: 'Beta ERP', type: 'api' } });
    expect(created.statusCode, created.body).toBe(201);
    const key = created.json<{ apiKey: string }>().apiKey;
    const headers = { authorization: `Bearer ${key}` };
    const ok = await upload(server, headers, `${HEADER}\nK-1,2026-11-24,,,Ann,1 Road,,Leeds,LS1,GB,BETA-TNT,1\n`, 'BETA');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const other = await upload(server, headers, `${HEADER}\nK-2,2026-11-24,,,Ann,1 Road,,Leeds,LS1,GB,ACME-ESP,1\n`, 'ACME');
    expect(other.status).toBe(404);
    const list = await server.app.inject({ method: 'GET', url: '/api/orders', headers });
    const seen = list.json<{ orders: OrderView[] }>().orders;
    expect(seen.map((o) => o.number)).toContain('K-1');
    expect(seen.every((o) => o.ownerId === 'own-b')).toBe(true);
    // The key is not a session: the device sync routes refuse it.
    expect((await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers })).statusCode).toBe(401);
  });
});
