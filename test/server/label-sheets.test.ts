// Bin and LPN label sheets over HTTP: admins only; a bin range in the order people count bins;
// LPN numbers reserved from the devices' blocks, so a handheld never makes one of them again; and
// every barcode decodes back to what the floor app scans.
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLpnCode } from '../../src/domain/workflows/receive-lpn';
import { images, prepareDecoder, read } from '../support/pdf-read';
import { fixtureWarehouse } from './fixture';
import { BACKENDS, startTestServer, type TestServer } from './harness';

beforeAll(prepareDecoder);

/** Every barcode image of the PDF as the scanner would hand it over, sorted. */
async function barcodesOf(body: Buffer): Promise<string[]> {
  const pdf = await PDFDocument.load(body);
  const reads = await Promise.all(images(pdf).map(read));
  return reads.map((found) => found.map((r) => `${r.symbologyIdentifier}${r.text}`).join('|')).sort();
}

function withBins(): ReturnType<typeof fixtureWarehouse> {
  const data = fixtureWarehouse();
  // A-10-1 sorts after A-9-1 as people count, though not as text; lower case is the same bin range.
  for (const [id, code] of [['loc-a9', 'A-9-1'], ['loc-a10', 'A-10-1'], ['loc-c01', 'C-01-1']] as const) {
    data.rows.locations!.push({ id, code, zone: 'A', type: 'storage', aisle: null, level: null, walkSeq: 50, capacity: null });
  }
  return data;
}

describe.each(BACKENDS)('label sheets on %s', (backend) => {
  let server: TestServer;
  afterEach(async () => server.app.close());

  it('prints a range of bins as PDF, numbers in order, each barcode its bin code', async () => {
    server = await startTestServer(backend, withBins());
    const admin = await server.signIn('admin', '9999');
    const response = await server.app.inject({ method: 'GET', url: '/api/admin/labels/bins.pdf?from=a-01-1&to=A-10-1&stock=letter-30', headers: admin });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('inline; filename="bins-a-01-1-A-10-1.pdf"');
    expect(await barcodesOf(response.rawPayload)).toEqual([']C0A-01-1', ']C0A-02-1', ']C0A-10-1', ']C0A-9-1']);
  });

  it('prints bins as ZPL on a roll, refuses ZPL on sheets, a reversed range and an empty one', async () => {
    server = await startTestServer(backend, withBins());
    const admin = await server.signIn('admin', '9999');
    const get = (query: string) => server.app.inject({ method: 'GET', url: `/api/admin/labels/bins.zpl?${query}`, headers: admin });
    const zpl = await get('from=B-01-1&to=C-01-1&stock=thermal-2x1');
    expect(zpl.statusCode, zpl.body).toBe(200);
    expect(zpl.headers['content-type']).toBe('application/zpl; charset=us-ascii');
    expect([...zpl.body.matchAll(/\^BC[^^]*\^FH\^FD(.*?)\^FS/g)].map((m) => m[1])).toEqual(['B-01-1', 'C-01-1']);
    expect((await get('from=A-01-1&to=A-02-1&stock=a4-21')).json()).toMatchObject({ error: 'BAD_REQUEST', message: expect.stringContaining('ZPL prints on a thermal roll') });
    expect((await get('from=B-01-1&to=A-01-1&stock=thermal-4x6')).statusCode).toBe(400);
    expect((await get('from=X-01&to=X-99&stock=thermal-4x6')).statusCode).toBe(404);
  });

  it('reserves new LPN numbers per batch, disjoint from each other and from the devices’ ranges', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const batch = async (payload: Record<string, unknown>) => {
      const response = await server.app.inject({ method: 'POST', url: '/api/admin/labels/lpns', headers: admin, payload });
      expect(response.statusCode, response.body).toBe(200);
      return response;
    };
    const first = await barcodesOf((await batch({ count: 22, stock: 'a4-21' })).rawPayload);
    expect(first).toHaveLength(22);
    for (const code of first) expect(readLpnCode(code.replace(']C0', ''))).toMatchObject({ ok: true });

    const second = await batch({ count: 3, stock: 'thermal-4x6', format: 'zpl' });
    const zplCodes = [...second.body.matchAll(/\^BC[^^]*\^FH\^FD(.*?)\^FS/g)].map((m) => m[1]!);
    expect(zplCodes).toHaveLength(3);
    expect(second.headers['content-disposition']).toBe(`inline; filename="lpn-${zplCodes[0]}-${zplCodes[2]}.zpl"`);

    const operator = await server.signIn('operator', '1111');
    const range = (await server.app.inject({ method: 'POST', url: '/api/lpn-ranges', headers: operator })).json<{ start: number; end: number }>();
    const numbers = [...first.map((c) => c.replace(']C0', '')), ...zplCodes].map((code) => Number(code.slice(3, 12)));
    expect(new Set(numbers).size).toBe(25);
    for (const n of numbers) expect(n < range.start || n > range.end).toBe(true);
    const { rows } = await server.db.query<{ device_id: string }>('select device_id from lpn_ranges where device_id = $1', [admin.deviceId]);
    expect(rows).toHaveLength(2);
  });

  it('is for admins only', async () => {
    server = await startTestServer(backend);
    for (const [username, pin] of [['operator', '1111'], ['supervisor', '2222']]) {
      const headers = await server.signIn(username!, pin!);
      expect((await server.app.inject({ method: 'GET', url: '/api/admin/labels/bins.pdf?from=A&to=B', headers })).statusCode).toBe(403);
      expect((await server.app.inject({ method: 'POST', url: '/api/admin/labels/lpns', headers, payload: { count: 1 } })).statusCode).toBe(403);
    }
    expect((await server.app.inject({ method: 'POST', url: '/api/admin/labels/lpns', payload: { count: 1 } })).statusCode).toBe(401);
    const { rows } = await server.db.query('select 1 from lpn_ranges');
    expect(rows).toEqual([]);
  });
});
