// Receiving's server pieces: LPN ranges reserved per device (never overlapping, even when asked
// for at once), damage photo uploads, and closing a receipt through push — on PGlite and, when
// TEST_DATABASE_URL is set, PostgreSQL.
import { describe, expect, it } from 'vitest';
import { LPN_RANGE_SIZE } from '../../server/routes/lpn-routes';
import { MAX_PHOTO_BYTES } from '../../server/routes/photo-routes';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pullAll, push } from './client';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(50, 1)]);
const MUTATION_ID = '8d3c6f1e-4a2b-4c5d-9e8f-0a1b2c3d4e5f';

describe.each(BACKENDS)('receiving on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  const reserve = (headers?: { authorization: string }) => server.app.inject({ method: 'POST', url: '/api/lpn-ranges', headers });

  describe('LPN ranges', () => {
    it('reserves a range for a signed-in device and records it', async () => {
      server = await startTestServer(backend);
      expect((await reserve()).statusCode).toBe(401);
      const device = await server.signIn('operator', '1111');
      const first = await reserve(device);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ prefix: 'LPN', start: 1, end: LPN_RANGE_SIZE });
      expect((await reserve(device)).json()).toEqual({ prefix: 'LPN', start: LPN_RANGE_SIZE + 1, end: 2 * LPN_RANGE_SIZE });
      const { rows } = await server.db.query<{ device_id: string; range_start: number; range_end: number }>(
        'select device_id, range_start, range_end from lpn_ranges order by range_start',
      );
      expect(rows.map((r) => [r.device_id, Number(r.range_start), Number(r.range_end)])).toEqual([
        [device.deviceId, 1, 100],
        [device.deviceId, 101, 200],
      ]);
    });

    it('never hands out overlapping ranges to devices asking at once', async () => {
      server = await startTestServer(backend);
      const devices = await Promise.all([1, 2, 3, 4].map(() => server.signIn('operator', '1111')));
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => reserve(devices[i % devices.length])));
      expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 200));
      const ranges = answers.map((a) => a.json<{ start: number; end: number }>()).sort((a, b) => a.start - b.start);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.start).toBeGreaterThan(ranges[i - 1]!.end);
      for (const range of ranges) expect(range.end - range.start + 1).toBe(LPN_RANGE_SIZE);
      const { rows } = await server.db.query<{ overlaps: number }>(
        `select count(*)::int as overlaps from lpn_ranges a join lpn_ranges b
         on a.id < b.id and a.range_start <= b.range_end and b.range_start <= a.range_end`,
      );
      expect(rows[0]!.overlaps).toBe(0);
    });
  });

  describe('photos', () => {
    const upload = (headers: Record<string, string>, body: Buffer | string, query = `mutationId=${MUTATION_ID}&receiptId=rcp-a`) =>
      server.app.inject({ method: 'POST', url: `/api/photos?${query}`, headers, payload: body });

    it('stores a photo with who sent it, once, however often it is retried', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      const first = await upload({ ...device, 'content-type': 'image/jpeg' }, JPEG);
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toEqual({ mutationId: MUTATION_ID, bytes: JPEG.length, contentType: 'image/jpeg' });
      const retry = await upload({ ...device, 'content-type': 'image/jpeg' }, JPEG);
      expect(retry.statusCode).toBe(200);
      const { rows } = await server.db.query<{ bytes: Uint8Array; device_id: string; receipt_id: string; content_type: string }>(
        'select bytes, device_id, receipt_id, content_type from photos',
      );
      expect(rows).toHaveLength(1);
      expect(Buffer.from(rows[0]!.bytes).equals(JPEG)).toBe(true);
      expect(rows[0]).toMatchObject({ device_id: device.deviceId, receipt_id: 'rcp-a', content_type: 'image/jpeg' });

      // Another device's upload under the same id takes its own key and never blocks this one
      // (test/server/photos.test.ts).
      const other = await server.signIn('operator', '1111');
      expect((await upload({ ...other, 'content-type': 'image/jpeg' }, JPEG)).statusCode).toBe(201);
      expect((await upload({ ...device, 'content-type': 'image/png' }, PNG, `mutationId=${crypto.randomUUID()}`)).statusCode).toBe(201);
    });

    it('refuses the signed-out (401), other types and bodies that are no image (400), and more than 5 MB (413)', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      expect((await upload({ 'content-type': 'image/jpeg' }, JPEG)).statusCode).toBe(401);
      const text = await upload({ ...device, 'content-type': 'text/plain' }, 'hello');
      expect(text.statusCode).toBe(400);
      expect(text.json().message).toBe('A photo must be sent as image/jpeg, image/png, image/webp, not "text/plain".');
      expect((await upload({ ...device, 'content-type': 'application/json' }, '{"a":1}')).statusCode).toBe(400);
      expect((await upload({ ...device, 'content-type': 'image/png' }, JPEG)).statusCode).toBe(400);
      expect((await upload({ ...device, 'content-type': 'image/jpeg' }, JPEG, 'mutationId=not-a-uuid')).statusCode).toBe(400);
      const big = await upload({ ...device, 'content-type': 'image/jpeg' }, Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES)]));
      expect(big.statusCode).toBe(413);
      expect(big.json()).toEqual({ error: 'PAYLOAD_TOO_LARGE', message: 'The photo is larger than 5 MB. Take it again at a lower resolution.' });
      expect((await server.db.query('select 1 from photos')).rows).toHaveLength(0);
    });
  });

  it('closes a receipt through push; later receiving is refused and the status syncs', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const receive = { receiptId: 'rcp-a', productId: 'prd-a1', qty: 4 };
    const { body } = await push(server.app, device, [
      mutation(1, 'receive', receive),
      mutation(2, 'close-receipt', { receiptId: 'rcp-a' }),
      mutation(3, 'receive', receive),
      mutation(4, 'close-receipt', { receiptId: 'rcp-a' }),
    ]);
    expect(body.results.map((r) => [r.status, r.code ?? null])).toEqual([
      ['applied', null],
      ['applied', null],
      ['rejected', 'DOCUMENT_CLOSED'],
      ['rejected', 'DOCUMENT_CLOSED'],
    ]);
    // A pull hands out what committed below the cluster's oldest running transaction: on a
    // PostgreSQL shared with other suites, that can take a moment.
    let changes: Awaited<ReturnType<typeof pullAll>>['changes'] = [];
    await expect.poll(async () => {
      ({ changes } = await pullAll(server.app, device));
      return changes.find((c) => c.table === 'receipts' && c.id === 'rcp-a')?.row;
    }, { timeout: 10_000 }).toMatchObject({ status: 'closed' });
    expect(changes.find((c) => c.table === 'receiptLines' && c.id === 'rcl-a1')?.row).toMatchObject({ receivedQty: 4 });

    const beta = await server.signIn('beta', '3333');
    const refused = await push(server.app, beta, [mutation(1, 'close-receipt', { receiptId: 'rcp-a' })]);
    expect(refused.body.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });
  });
});
