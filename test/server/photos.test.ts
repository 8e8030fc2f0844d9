// Damage photos belong to the mutation's own device and user: nobody else's upload can block the
// real one or be read as its evidence, and another owner's receipt is "not found" — on PGlite
// and, with TEST_DATABASE_URL, PostgreSQL.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, push } from './client';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
const FORGED = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 9)]);

describe.each(BACKENDS)('photos on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  const upload = (headers: { authorization: string }, query: string, body: Buffer = JPEG) =>
    server.app.inject({ method: 'POST', url: `/api/photos?${query}`, headers: { ...headers, 'content-type': 'image/jpeg' }, payload: body });
  const evidence = async (mutationId: string) =>
    (await server.db.query<{ device_id: string; size_bytes: number }>('select device_id, size_bytes from mutation_photos where mutation_id = $1', [mutationId])).rows;

  it('lets nobody else’s upload block the device’s own, nor be read as its evidence', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const attacker = await server.signIn('beta', '3333');
    const damaged = mutation(1, 'receive', { receiptId: 'rcp-a', productId: 'prd-a1', qty: 0, damagedQty: 1, damageReason: 'crushed' });

    // Before the mutation reaches the server, the id is unknown: another device's upload lands
    // under its own key only.
    expect((await upload(attacker, `mutationId=${damaged.id}&receiptId=rcp-b`, FORGED)).statusCode).toBe(201);
    const own = await upload(device, `mutationId=${damaged.id.toUpperCase()}&receiptId=rcp-a`);
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toEqual({ mutationId: damaged.id, bytes: JPEG.length, contentType: 'image/jpeg' });
    expect((await push(server.app, device, [damaged])).body.results[0]).toMatchObject({ status: 'applied' });
    expect(await evidence(damaged.id)).toEqual([{ device_id: device.deviceId, size_bytes: JPEG.length }]);

    // Once the mutation is known, only its device and user may send its photo.
    const late = await upload(attacker, `mutationId=${damaged.id}`, FORGED);
    expect(late.statusCode).toBe(404);
    expect(late.json()).toEqual({ error: 'NOT_FOUND', message: 'Mutation not found.' });
    const sameUserOtherDevice = await server.signIn('operator', '1111');
    expect((await upload(sameUserOtherDevice, `mutationId=${damaged.id}&receiptId=rcp-a`)).statusCode).toBe(404);
    // The device's own retry after a lost answer is answered from what it stored.
    expect((await upload(device, `mutationId=${damaged.id}&receiptId=rcp-a`)).statusCode).toBe(200);
    expect(await evidence(damaged.id)).toEqual([{ device_id: device.deviceId, size_bytes: JPEG.length }]);

    // Reusing the id in a push of its own gets the attacker a DUPLICATE_MUTATION_ID result, which
    // makes its early upload neither evidence nor a reason to refuse the real device.
    const reused = { ...mutation(1, 'receive', { receiptId: 'rcp-b', productId: 'prd-b1', qty: 1 }), id: damaged.id };
    expect((await push(server.app, attacker, [reused])).body.results[0]).toMatchObject({ code: 'DUPLICATE_MUTATION_ID' });
    expect(await evidence(damaged.id)).toEqual([{ device_id: device.deviceId, size_bytes: JPEG.length }]);
    expect((await upload(device, `mutationId=${damaged.id}&receiptId=rcp-a`)).statusCode).toBe(200);
  });

  it('answers a receipt of an owner the user cannot see, or none, with "not found"', async () => {
    server = await startTestServer(backend);
    const beta = await server.signIn('beta', '3333');
    for (const receiptId of ['rcp-a', 'rcp-nope']) {
      const refused = await upload(beta, `mutationId=${randomUUID()}&receiptId=${receiptId}`);
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toEqual({ error: 'NOT_FOUND', message: 'Receipt not found.' });
    }
    expect((await upload(beta, `mutationId=${randomUUID()}&receiptId=rcp-b`)).statusCode).toBe(201);
    expect((await server.db.query("select 1 from photos where receipt_id = 'rcp-a'")).rows).toHaveLength(0);
  });

  it('refuses a photo whose receipt is not its mutation’s', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const damaged = mutation(1, 'receive', { receiptId: 'rcp-a', productId: 'prd-a1', qty: 0, damagedQty: 1, damageReason: 'wet' });
    await push(server.app, device, [damaged]);
    const wrong = await upload(device, `mutationId=${damaged.id}&receiptId=rcp-b`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toContain('receiptId');
  });

  it('answers NUL in a photo’s ids with 400 naming the field', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    for (const [field, query] of [['mutationId', `mutationId=${randomUUID()}%00`], ['receiptId', `mutationId=${randomUUID()}&receiptId=rcp%00a`]]) {
      const refused = await upload(device, query!);
      expect(refused.statusCode, field).toBe(400);
      expect(refused.json().message).toContain(field);
    }
  });
});
