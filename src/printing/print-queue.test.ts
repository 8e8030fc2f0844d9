// The print queue against the real server in-process (PGlite) and a local socket standing in for
// the Zebra: a queued label prints once, waits through a dead network or an unreachable printer
// (keeping each printer's labels in order), fails for good on a refusal, and stops at a 401.
import 'fake-indexeddb/auto';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mutation, pickArgs, push } from '../../test/server/client';
import { startTestServer, type TestServer } from '../../test/server/harness';
import { serverFetch } from '../../test/support/server-fetch';
import { DockhandDb } from '../storage/db';
import type { Clock, OnlineSource } from '../sync/engine';
import { createSyncStatusStore } from '../sync/status-store';
import { enqueueLabel, FINISHED_KEPT_MS, PrintQueue, type PrintQueueOptions } from './print-queue';

const ORDER = '5234567890123456791';

const timers: { run: () => void; ms: number }[] = [];
let now = 1_000_000;
const clock: Clock = { now: () => now, setTimeout: (run, ms) => timers.push({ run, ms }), clearTimeout: () => undefined };
const online: OnlineSource = { isOnline: () => true, subscribe: () => () => undefined };

let server: TestServer;
let db: DockhandDb;
let count = 0;
const sockets: Server[] = [];

/** A stand-in Zebra on an ephemeral port, keeping what each connection sent. */
async function fakePrinter(): Promise<{ port: number; received: string[] }> {
  const received: string[] = [];
  const printer = createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      socket.end();
    });
  });
  await new Promise<void>((resolve) => printer.listen(0, '127.0.0.1', resolve));
  sockets.push(printer);
  return { port: (printer.address() as { port: number }).port, received };
}

async function deadPort(): Promise<number> {
  const { port } = await fakePrinter();
  const printer = sockets.pop()!;
  await new Promise((resolve) => printer.close(resolve));
  return port;
}

async function setPrinter(code: string, port: number): Promise<void> {
  const admin = await server.signIn('admin', '9999');
  const answer = await server.app.inject({ method: 'PUT', url: `/api/admin/printers/${code}`, headers: admin, payload: { name: code, host: '127.0.0.1', port } });
  expect(answer.statusCode, answer.body).toBe(200);
}

/** Signs the Beta packer in, packs order #2001 into carton "A", and answers the session's token. */
async function packedOrder(): Promise<string> {
  const station = await server.signIn('beta', '3333');
  const results = (await push(server.app, station, [
    mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2)),
    mutation(2, 'pack', { orderId: ORDER, productId: 'prd-b1', qty: 2, cartonId: 'A' }),
  ])).body.results;
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
  return station.authorization.slice('Bearer '.length);
}

function queueFor(token: string, options: Partial<PrintQueueOptions> = {}): PrintQueue {
  return new PrintQueue({ db, token, fetch: serverFetch(server.app), clock, online, random: () => 0.5, status: createSyncStatusStore(), ...options });
}

beforeEach(async () => {
  server = await startTestServer('pglite');
  db = new DockhandDb(`print-queue-${++count}`);
  timers.length = 0;
});

afterEach(async () => {
  await server.app.close();
  for (const printer of sockets.splice(0)) await new Promise((resolve) => printer.close(resolve));
  db.close();
  await DockhandDb.delete(db.name);
});

describe('print queue', () => {
  it('prints a queued label once, as soon as it is queued, and keeps the outcome for the station', async () => {
    const token = await packedOrder();
    const printer = await fakePrinter();
    await setPrinter('PACK-1', printer.port);
    const queue = queueFor(token);
    queue.start();
    const job = await enqueueLabel(db, { printer: 'PACK-1', orderId: ORDER, carton: 'A' }, { now: clock.now });
    // Nothing but the queue's own live query sends it.
    await expect.poll(async () => (await db.printJobs.get(job.id))?.status).toBe('printed');
    await expect.poll(() => printer.received.length).toBe(1);
    expect(printer.received[0]).toMatch(/^\^XA[\s\S]*#2001[\s\S]*\^XZ\n$/);
    expect(await db.printJobs.get(job.id)).toMatchObject({ status: 'printed', finishedAt: now, attempts: 0 });
    expect(await queue.drain()).toEqual({ printed: 0, failed: 0, waiting: 0 });
    queue.stop();

    // A shift later the outcome is gone from the device.
    now += FINISHED_KEPT_MS + 1;
    await queueFor(token).drain();
    expect(await db.printJobs.count()).toBe(0);
  });

  it('keeps a label queued while the network is down, with a backoff, and prints it once back', async () => {
    const token = await packedOrder();
    const printer = await fakePrinter();
    await setPrinter('PACK-1', printer.port);
    const network = { down: true };
    const queue = queueFor(token, { fetch: serverFetch(server.app, { network }) });
    const job = await enqueueLabel(db, { printer: 'PACK-1', orderId: ORDER, carton: 'A' });

    expect(await queue.drain()).toEqual({ printed: 0, failed: 0, waiting: 1 });
    expect(await db.printJobs.get(job.id)).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('no connection to the server') as unknown as string });
    expect(timers.map((t) => t.ms)).toEqual([3750]);

    network.down = false;
    expect(await queue.drain()).toEqual({ printed: 1, failed: 0, waiting: 0 });
    await expect.poll(() => printer.received.length).toBe(1);
    queue.stop();
  });

  it('waits out an unreachable printer with its later labels behind it, while another printer’s label prints', async () => {
    const token = await packedOrder();
    await setPrinter('PACK-1', await deadPort());
    const other = await fakePrinter();
    await setPrinter('PACK-2', other.port);
    const first = await enqueueLabel(db, { printer: 'PACK-1', orderId: ORDER, carton: 'A' }, { now: () => 1 });
    const second = await enqueueLabel(db, { printer: 'PACK-1', orderId: ORDER, carton: 'A', copies: 2 }, { now: () => 2 });
    const elsewhere = await enqueueLabel(db, { printer: 'PACK-2', orderId: ORDER, carton: 'A' }, { now: () => 3 });

    const queue = queueFor(token);
    expect(await queue.drain()).toEqual({ printed: 1, failed: 0, waiting: 2 });
    expect(await db.printJobs.get(first.id)).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('Printer PACK-1 at 127.0.0.1:') as unknown as string });
    // Not tried: it would print before the first.
    expect(await db.printJobs.get(second.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await db.printJobs.get(elsewhere.id)).toMatchObject({ status: 'printed' });
    await expect.poll(() => other.received.length).toBe(1);

    // The printer comes back at its address: both labels print, in order.
    const back = await fakePrinter();
    await setPrinter('PACK-1', back.port);
    expect(await queue.drain()).toEqual({ printed: 2, failed: 0, waiting: 0 });
    await expect.poll(() => back.received.length).toBe(2);
    queue.stop();
  });

  it('fails a label the server refuses, with its words, and stops at a 401 until the next sign-in', async () => {
    const token = await packedOrder();
    const refused = await enqueueLabel(db, { printer: 'PACK-9', orderId: ORDER, carton: 'A' }, { now: () => 1 });
    const queue = queueFor(token);
    expect(await queue.drain()).toEqual({ printed: 0, failed: 1, waiting: 0 });
    expect(await db.printJobs.get(refused.id)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('No printer PACK-9 is registered') as unknown as string });

    const printer = await fakePrinter();
    await setPrinter('PACK-1', printer.port);
    const waiting = await enqueueLabel(db, { printer: 'PACK-1', orderId: ORDER, carton: 'A' }, { now: () => 2 });
    const signedOut = queueFor('not-a-session');
    expect(await signedOut.drain()).toEqual({ printed: 0, failed: 0, waiting: 1 });
    expect(await db.printJobs.get(waiting.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(timers).toEqual([]);
    signedOut.request({ now: true });
    expect(await signedOut.drain()).toEqual({ printed: 0, failed: 0, waiting: 1 });
    expect(printer.received).toEqual([]);
  });
});
