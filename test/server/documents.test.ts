// The pack station's documents through the server: a packed order's packing slip and its carton's
// label as PDF and ZPL, the label's SSCC given once and kept, and another owner's order unseen.
// PGlite, and PostgreSQL when TEST_DATABASE_URL is set.
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config';
import { parseGs1 } from '../../src/domain/gs1';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, push } from './client';

const ORDER = '5234567890123456791';

/** Order #2001 (Beta): both tents picked and packed into carton "A". */
async function packedOrder(server: TestServer) {
  const station = await server.signIn('beta', '3333');
  const results = (await push(server.app, station, [
    mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2)),
    mutation(2, 'pack', { orderId: ORDER, productId: 'prd-b1', qty: 2, cartonId: 'A' }),
  ])).body.results;
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
  return station;
}

describe.each(BACKENDS)('documents on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('serves the packing slip and the carton label; the label keeps its SSCC across prints', async () => {
    server = await startTestServer(backend, undefined, { gs1CompanyPrefix: '5012345' });
    const station = await packedOrder(server);
    const slip = await server.app.inject({ method: 'GET', url: `/api/orders/${ORDER}/packing-slip.pdf`, headers: station });
    expect(slip.statusCode).toBe(200);
    expect(slip.headers['content-type']).toBe('application/pdf');
    expect((await PDFDocument.load(slip.rawPayload)).getPageCount()).toBe(1);

    const zpl = await server.app.inject({ method: 'GET', url: `/api/orders/${ORDER}/cartons/A/label.zpl?weightKg=4.2`, headers: station });
    expect(zpl.statusCode).toBe(200);
    const sscc = /\^FD>;>800(\d{18})\^FS/.exec(zpl.body)?.[1];
    expect(sscc).toMatch(/^05012345\d{10}$/);
    expect(parseGs1(`(00)${sscc}`)).toMatchObject({ ok: true });
    expect(zpl.body).toContain('1 of 1');
    const again = await server.app.inject({ method: 'GET', url: `/api/orders/${ORDER}/cartons/A/label.zpl`, headers: station });
    expect(/\^FD>;>800(\d{18})\^FS/.exec(again.body)?.[1]).toBe(sscc);
    const pdf = await server.app.inject({ method: 'GET', url: `/api/orders/${ORDER}/cartons/A/label.pdf`, headers: station });
    expect(pdf.statusCode).toBe(200);
    expect((await PDFDocument.load(pdf.rawPayload)).getPage(0).getSize()).toEqual({ width: 288, height: 432 });
  });

  it('answers not found for another owner’s order and for a carton nothing was packed into', async () => {
    server = await startTestServer(backend);
    const station = await packedOrder(server);
    const created = await server.app.inject({ method: 'POST', url: '/api/admin/users', headers: await server.signIn('admin', '9999'), payload: { username: 'acme-packer', displayName: 'Acme Packer', pin: '4455', role: 'operator', ownerIds: ['own-a'] } });
    expect(created.statusCode).toBe(201);
    const acme = await server.signIn('acme-packer', '4455');
    expect((await server.app.inject({ method: 'GET', url: `/api/orders/${ORDER}/packing-slip.pdf`, headers: acme })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: `/api/orders/${ORDER}/cartons/A/label.pdf`, headers: acme })).statusCode).toBe(404);
    const empty = await server.app.inject({ method: 'GET', url: `/api/orders/${ORDER}/cartons/B/label.zpl`, headers: station });
    expect(empty).toMatchObject({ statusCode: 404 });
    expect(empty.json().message).toBe('Carton B of order #2001 holds nothing packed yet.');
  });

  it('reads GS1_COMPANY_PREFIX at start and refuses anything but 7 to 10 digits', () => {
    expect(readConfig({ GS1_COMPANY_PREFIX: '5012345' }).gs1CompanyPrefix).toBe('5012345');
    expect(readConfig({}).gs1CompanyPrefix).toBeUndefined();
    expect(() => readConfig({ GS1_COMPANY_PREFIX: '50-1234' })).toThrow('GS1_COMPANY_PREFIX must be the 7 to 10 digits of your GS1 company prefix, not "50-1234".');
  });
});
