// The photo uploader against the real server in-process (PGlite): photos go up once, a failure
// leaves them waiting with a backoff, and a photo the server refuses is set aside, not retried.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/server/harness';
import { DockhandDb, type Photo } from '../storage/db';
import type { Clock, OnlineSource } from './engine';
import { PhotoUploader } from './photo-uploader';
import { createSyncStatusStore } from './status-store';
import { serverFetch } from '../../test/support/server-fetch';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 9, 9, 9, 9]);

const timers: { run: () => void; ms: number }[] = [];
const clock: Clock = { now: () => 0, setTimeout: (run, ms) => timers.push({ run, ms }), clearTimeout: () => undefined };
const online: OnlineSource = { isOnline: () => true, subscribe: () => () => undefined };

let server: TestServer;
let db: DockhandDb;
let count = 0;

function photo(mutationId: string, overrides: Partial<Photo> = {}): Photo {
  return { mutationId, receiptId: 'rcp-a', blob: new Blob([JPEG], { type: 'image/jpeg' }), type: 'image/jpeg', size: JPEG.length, uploaded: 0, takenAt: count, attempts: 0, ...overrides };
}

beforeEach(async () => {
  server = await startTestServer('pglite');
  db = new DockhandDb(`photo-uploader-${++count}`);
  timers.length = 0;
});

afterEach(async () => {
  await server.app.close();
  db.close();
  await DockhandDb.delete(db.name);
});

describe('photo uploader', () => {
  it('uploads waiting photos once, frees the device copy, and retries after a failure', async () => {
    const { authorization } = await server.signIn('operator', '1111');
    const network = { down: true };
    const uploader = new PhotoUploader({
      db, token: authorization.slice('Bearer '.length), fetch: serverFetch(server.app, { network }), clock, online, random: () => 0.5, status: createSyncStatusStore(),
    });
    const id = crypto.randomUUID();
    await db.photos.put(photo(id));

    expect(await uploader.uploadPending()).toEqual({ uploaded: 0, failed: true });
    expect(await db.photos.get(id)).toMatchObject({ uploaded: 0, attempts: 1 });
    expect(timers.map((t) => t.ms)).toEqual([2500]);

    network.down = false;
    expect(await uploader.uploadPending()).toEqual({ uploaded: 1, failed: false });
    expect(await db.photos.get(id)).toMatchObject({ uploaded: 1, blob: null });
    const { rows } = await server.db.query<{ bytes: Uint8Array; receipt_id: string }>('select bytes, receipt_id from photos where mutation_id = $1', [id]);
    expect(Buffer.from(rows[0]!.bytes).equals(Buffer.from(JPEG))).toBe(true);
    expect(rows[0]!.receipt_id).toBe('rcp-a');
    expect(await uploader.uploadPending()).toEqual({ uploaded: 0, failed: false });
    uploader.stop();
  });

  it('sets aside a photo the server refuses, and goes on with the next', async () => {
    const { authorization } = await server.signIn('operator', '1111');
    const uploader = new PhotoUploader({ db, token: authorization.slice(7), fetch: serverFetch(server.app), clock, online, status: createSyncStatusStore() });
    const bad = crypto.randomUUID();
    const good = crypto.randomUUID();
    await db.photos.bulkPut([photo(bad, { type: 'image/png', takenAt: 1 }), photo(good, { takenAt: 2 })]);
    expect(await uploader.uploadPending()).toEqual({ uploaded: 1, failed: false });
    expect(await db.photos.get(bad)).toMatchObject({ uploaded: 0, refused: 'The server refused this photo (HTTP 400).' });
    expect(await db.photos.get(good)).toMatchObject({ uploaded: 1 });
    expect(await uploader.uploadPending()).toEqual({ uploaded: 0, failed: false });
    uploader.stop();
  });

  it('sets aside a photo whose mutation the server holds from another device, instead of retrying it forever', async () => {
    const { authorization } = await server.signIn('operator', '1111');
    const uploader = new PhotoUploader({ db, token: authorization.slice(7), fetch: serverFetch(server.app), clock, online, status: createSyncStatusStore() });
    const foreign = crypto.randomUUID();
    await server.signIn('supervisor', '2222', 'dev-other-handheld');
    await server.db.query(
      `insert into mutation_results (device_id, seq, mutation_id, type, user_id, status)
       select 'dev-other-handheld', 1, $1, 'receive', id, 'applied' from users where username = 'supervisor'`,
      [foreign],
    );
    await db.photos.put(photo(foreign));
    expect(await uploader.uploadPending()).toEqual({ uploaded: 0, failed: false });
    expect(await db.photos.get(foreign)).toMatchObject({ uploaded: 0, refused: 'The server refused this photo (HTTP 404).' });
    expect(timers).toEqual([]);
    uploader.stop();
  });
});
