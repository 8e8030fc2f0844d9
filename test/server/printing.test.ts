// Printing from the pack station through the real server: an admin registers a printer, and a
// carton's label goes to it as ZPL over raw TCP — here a local socket server stands in for the
// Zebra. A job id prints once however often it is sent; an unreachable printer is a 502 and a
// failed job; another owner's order is not found. PGlite, and PostgreSQL when set.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, push } from './client';

const ORDER = '5234567890123456791';

/** A stand-in Zebra: takes connections on an ephemeral port and keeps what each one sent. */
async function fakePrinter(): Promise<{ port: number; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, received, server };
}

/** A port nothing listens on: a server bound and closed again. */
async function deadPort(): Promise<number> {
  const { port, server } = await fakePrinter();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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

async function setPrinter(server: TestServer, code: string, body: Record<string, unknown>) {
  const admin = await server.signIn('admin', '9999');
  return server.app.inject({ method: 'PUT', url: `/api/admin/printers/${code}`, headers: admin, payload: body });
}

const printJob = (server: TestServer, headers: { authorization: string }, body: Record<string, unknown>) =>
  server.app.inject({ method: 'POST', url: '/api/print-jobs', headers, payload: body });

const printers: Server[] = [];
afterEach(async () => {
  for (const printer of printers.splice(0)) await new Promise((resolve) => printer.close(resolve));
});

describe.each(BACKENDS)('printing on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('sends the carton’s label to the printer as ZPL, and a repeated job id prints once', async () => {
    server = await startTestServer(backend, undefined, { gs1CompanyPrefix: '5012345' });
    const printer = await fakePrinter();
    printers.push(printer.server);
    const station = await packedOrder(server);
    const set = await setPrinter(server, 'pack-1', { name: 'Pack station 1', host: '127.0.0.1', port: printer.port });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ code: 'PACK-1', name: 'Pack station 1', host: '127.0.0.1', port: printer.port });

    const listed = await server.app.inject({ method: 'GET', url: '/api/printers', headers: station });
    expect(listed.json()).toEqual({ printers: [{ code: 'PACK-1', name: 'Pack station 1' }] });

    const job = { id: randomUUID(), printer: 'PACK-1', orderId: ORDER, carton: 'A', copies: 2 };
    const first = await printJob(server, station, job);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ id: job.id, printer: 'PACK-1', status: 'printed' });
    // Printed means handed whole to the connection: the printer reads it a moment later.
    await expect.poll(() => printer.received.length).toBe(1);
    const zpl = printer.received[0]!.trim();
    expect(zpl.startsWith('^XA')).toBe(true);
    expect(zpl.endsWith('^XZ')).toBe(true);
    expect(zpl).toContain('#2001');
    expect(zpl).toContain('^PQ2');
    // The same SSCC the label route prints for this carton.
    const label = await server.app.inject({ method: 'GET', url: `/api/orders/${ORDER}/cartons/A/label.zpl`, headers: station });
    const sscc = /\^FD>;>800(\d{18})\^FS/.exec(label.body)?.[1];
    expect(sscc).toMatch(/^05012345\d{10}$/);
    expect(zpl).toContain(`>;>800${sscc}`);

    // A retry after a lost answer, and two repeats at once: the first outcome, nothing printed again.
    const again = await printJob(server, station, job);
    expect(again.json()).toEqual(first.json());
    const together = await Promise.all([printJob(server, station, job), printJob(server, station, job)]);
    expect(together.map((r) => r.statusCode)).toEqual([200, 200]);

    // Another job id prints again; two new jobs at once each print once.
    const fresh = () => ({ ...job, id: randomUUID(), copies: 1 });
    const concurrent = fresh();
    const both = await Promise.all([printJob(server, station, concurrent), printJob(server, station, concurrent), printJob(server, station, fresh())]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    await expect.poll(() => printer.received.length).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(printer.received).toHaveLength(3);
    const { rows } = await server.db.query<{ status: string; n: number }>('select status, count(*)::int as n from print_jobs group by status');
    expect(rows).toEqual([{ status: 'printed', n: 3 }]);

    // The same id for another label is refused, never answered with the first label's outcome.
    const reused = await printJob(server, station, { ...job, carton: 'B' });
    expect(reused.statusCode).toBe(404);
    const otherCopies = await printJob(server, station, { ...job, copies: 1 });
    expect(otherCopies.statusCode).toBe(409);
  });

  it('answers 502 naming the printer and its address when it cannot be reached, records the job failed, and lets it try again', async () => {
    server = await startTestServer(backend);
    const station = await packedOrder(server);
    const port = await deadPort();
    await setPrinter(server, 'PACK-2', { name: 'Pack station 2', host: '127.0.0.1', port });
    const job = { id: randomUUID(), printer: 'pack-2', orderId: ORDER, carton: 'A', copies: 1 };

    const failed = await printJob(server, station, job);
    expect(failed.statusCode).toBe(502);
    expect(failed.json()).toMatchObject({ error: 'PRINTER_UNREACHABLE' });
    expect(failed.json().message).toContain(`Printer PACK-2 at 127.0.0.1:${port} could not be reached`);
    const { rows } = await server.db.query<{ status: string; error: string; attempts: number; requested_by: string }>('select status, error, attempts, requested_by from print_jobs where id = $1', [job.id]);
    expect(rows[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rows[0]!.error).toContain('connection refused');

    // Nothing printed, so the same id may print once the printer is back.
    const printer = await fakePrinter();
    printers.push(printer.server);
    await setPrinter(server, 'PACK-2', { name: 'Pack station 2', host: '127.0.0.1', port: printer.port });
    const retried = await printJob(server, station, job);
    expect(retried.statusCode, retried.body).toBe(200);
    await expect.poll(() => printer.received.length).toBe(1);
    expect((await server.db.query('select status, attempts from print_jobs where id = $1', [job.id])).rows[0]).toEqual({ status: 'printed', attempts: 2 });
  });

  it('names an unknown printer, hides another owner’s order, and refuses bad input naming the field', async () => {
    server = await startTestServer(backend);
    const station = await packedOrder(server);
    const unknown = await printJob(server, station, { id: randomUUID(), printer: 'PACK-9', orderId: ORDER, carton: 'A', copies: 1 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'PRINTER_NOT_FOUND' });
    expect(unknown.json().message).toContain('PACK-9');

    const printer = await fakePrinter();
    printers.push(printer.server);
    await setPrinter(server, 'PACK-1', { name: 'Pack station 1', host: '127.0.0.1', port: printer.port });
    const admin = await server.signIn('admin', '9999');
    const created = await server.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin, payload: { username: 'acme-packer', displayName: 'Acme Packer', pin: '4455', role: 'operator', ownerIds: ['own-a'] } });
    expect(created.statusCode).toBe(201);
    const acme = await server.signIn('acme-packer', '4455');
    const foreign = await printJob(server, acme, { id: randomUUID(), printer: 'PACK-1', orderId: ORDER, carton: 'A', copies: 1 });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ error: 'NOT_FOUND', message: 'Order not found.' });
    expect(printer.received).toEqual([]);

    for (const [field, value] of [['copies', 11], ['id', 'not-a-uuid'], ['printer', 'PACK 1'], ['carton', '']] as const) {
      const bad = await printJob(server, station, { id: randomUUID(), printer: 'PACK-1', orderId: ORDER, carton: 'A', copies: 1, [field]: value });
      expect(bad.statusCode, field).toBe(400);
      expect(bad.json().message, field).toContain(`body/${field}`);
    }
  });

  it('lets only an admin of every owner set or remove printers; operators see codes and names only', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    const put = await server.app.inject({ method: 'PUT', url: '/api/admin/printers/PACK-1', headers: operator, payload: { name: 'x', host: '10.0.0.9' } });
    expect(put.statusCode).toBe(403);
    expect((await server.app.inject({ method: 'DELETE', url: '/api/admin/printers/PACK-1', headers: operator })).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'GET', url: '/api/admin/printers', headers: operator })).statusCode).toBe(403);

    const admin = await server.signIn('admin', '9999');
    const created = await server.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin, payload: { username: 'beta-admin', displayName: 'Beta Admin', pin: '4455', role: 'admin', ownerIds: ['own-b'] } });
    expect(created.statusCode).toBe(201);
    const limited = await server.signIn('beta-admin', '4455');
    const redirected = await server.app.inject({ method: 'PUT', url: '/api/admin/printers/PACK-1', headers: limited, payload: { name: 'x', host: '10.0.0.9' } });
    expect(redirected.statusCode).toBe(403);
    // Before the body is read: a limited admin learns nothing from a schema error.
    const malformed = await server.app.inject({ method: 'PUT', url: '/api/admin/printers/PACK-1', headers: limited, payload: { host: 7 } });
    expect(malformed.statusCode).toBe(403);

    const set = await server.app.inject({ method: 'PUT', url: '/api/admin/printers/PACK-1', headers: admin, payload: { name: 'Pack 1', host: 'zebra-1.wh.example' } });
    expect(set.json()).toMatchObject({ code: 'PACK-1', host: 'zebra-1.wh.example', port: 9100 });
    const badHost = await server.app.inject({ method: 'PUT', url: '/api/admin/printers/PACK-1', headers: admin, payload: { name: 'Pack 1', host: 'http://zebra/' } });
    expect(badHost.statusCode).toBe(400);
    expect(badHost.json().message).toContain('body/host');
    const list = await server.app.inject({ method: 'GET', url: '/api/printers', headers: operator });
    expect(list.json()).toEqual({ printers: [{ code: 'PACK-1', name: 'Pack 1' }] });
    expect(list.body).not.toContain('zebra-1');
    const adminList = await server.app.inject({ method: 'GET', url: '/api/admin/printers', headers: admin });
    expect(adminList.json().printers[0]).toMatchObject({ host: 'zebra-1.wh.example', port: 9100 });

    expect((await server.app.inject({ method: 'DELETE', url: '/api/admin/printers/pack-1', headers: admin })).statusCode).toBe(204);
    const gone = await server.app.inject({ method: 'DELETE', url: '/api/admin/printers/PACK-1', headers: admin });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().message).toContain('PACK-1');
  });
});
