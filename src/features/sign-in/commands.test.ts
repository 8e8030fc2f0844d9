// @vitest-environment jsdom
// signIn/signOut against a stubbed network and a fresh IndexedDB: every outcome is a result.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DockhandDb } from '../../storage/db';
import { getMeta, setMeta } from '../../storage/meta';
import { getOrCreateDeviceId, readSession } from '../../storage/session-repo';
import { DEVICE_TAKEN_MESSAGE, OFFLINE_MESSAGE, signIn, signOut } from './commands';

const USER = { id: 'u1', username: 'sam', displayName: 'Sam', role: 'supervisor', ownerIds: ['o1'] };
let db: DockhandDb;

beforeEach(() => {
  db = new DockhandDb(`dockhand-test-${crypto.randomUUID()}`);
});
afterEach(async () => {
  await db.delete();
});

/** The server labels every answer it writes; a captive portal labels its page as what it is. */
const JSON_TYPE = { 'content-type': 'application/json' };
const respond = (status: number, body: string, type = JSON_TYPE['content-type']) =>
  vi.fn<typeof globalThis.fetch>().mockImplementation(() => Promise.resolve(new Response(body, { status, headers: { 'content-type': type } })));

describe('signIn', () => {
  it('keeps the device id across sign-ins and sign-outs', async () => {
    const fetch = respond(200, JSON.stringify({ token: 't', user: USER }));
    await signIn('sam', '1', { db, fetch });
    const id = await getOrCreateDeviceId(db);
    await signOut({ db });
    await signIn('sam', '1', { db, fetch });
    const sent = fetch.mock.calls.map(([, init]) => (JSON.parse(String(init?.body)) as { deviceId: string }).deviceId);
    expect(sent).toEqual([id, id]);
    expect(await readSession(db)).toMatchObject({ token: 't', user: USER });
  });

  it('does not try the network when the browser knows it is offline', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    expect(await signIn('sam', '1', { db, fetch, isOnline: () => false })).toEqual({
      ok: false,
      reason: 'offline',
      message: OFFLINE_MESSAGE,
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses a 200 that is not a session (a captive portal page)', async () => {
    const result = await signIn('sam', '1', { db, fetch: respond(200, '<html>Log in to Guest Wi-Fi</html>', 'text/html') });
    expect(result).toMatchObject({ ok: false, reason: 'server' });
    expect(await readSession(db)).toBeNull();
  });

  it('reports a server error with its status when the body has no message', async () => {
    expect(await signIn('sam', '1', { db, fetch: respond(503, 'Service Unavailable') })).toMatchObject({
      ok: false,
      reason: 'server',
      message: expect.stringContaining('503') as unknown as string,
    });
  });

  it('asks for both fields before calling the server', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    expect(await signIn('  ', '1', { db, fetch })).toMatchObject({ ok: false, reason: 'missing-fields' });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('the device changing hands', () => {
  const OLIVIA = { id: 'u2', username: 'olivia', displayName: 'Olivia Operator', role: 'operator', ownerIds: null };
  const pendingScan = (userId: string) => ({
    id: crypto.randomUUID(), seq: 1, type: 'pick', version: 1, args: {}, clientTime: '2026-11-25T10:00:00.000Z',
    status: 'pending' as const, touched: [], actor: { userId, deviceId: 'd1', role: 'operator' as const, ownerIds: null },
  });

  it('refuses another user while the last user’s scans are unsent, and ends the new session', async () => {
    await signIn('olivia', '1', { db, fetch: respond(200, JSON.stringify({ token: 't-olivia', user: OLIVIA })) });
    await db.outbox.add(pendingScan(OLIVIA.id));
    const fetch = vi.fn<typeof globalThis.fetch>()
      .mockResolvedValueOnce(new Response(JSON.stringify({ token: 't-sam', user: USER }), { status: 200, headers: JSON_TYPE }))
      .mockResolvedValue(new Response(null, { status: 204 }));
    const result = await signIn('sam', '1', { db, fetch });
    expect(result).toEqual({
      ok: false,
      reason: 'unsent-scans',
      message: '1 scan by Olivia Operator is not sent yet. Olivia Operator must sign in on this device first to send them.',
    });
    expect(fetch.mock.calls[1]?.[1]).toMatchObject({ method: 'DELETE', headers: { authorization: 'Bearer t-sam' } });
    expect(await readSession(db)).toMatchObject({ token: 't-olivia' });
    // The user who made the scans may sign in again to send them.
    expect(await signIn('olivia', '1', { db, fetch: respond(200, JSON.stringify({ token: 't-olivia-2', user: OLIVIA })) })).toMatchObject({ ok: true });
  });

  it('refuses sign-out while a rejected scan still needs attention', async () => {
    await signIn('sam', '1', { db, fetch: respond(200, JSON.stringify({ token: 't', user: USER })) });
    await db.problems.add({
      mutationId: crypto.randomUUID(), seq: 1, type: 'pick', args: {}, clientTime: '2026-11-25T10:00:00.000Z', at: 0, status: 'open',
      rejection: { code: 'INSUFFICIENT_STOCK', message: 'Bin holds only 0.', details: {} },
    });
    expect(await signOut({ db, isOnline: () => false })).toEqual({
      ok: false,
      message: '1 scan needs attention. Open Needs attention and deal with it first.',
    });
    expect(await readSession(db)).not.toBeNull();
    await db.problems.toCollection().modify({ status: 'resolved' });
    expect(await signOut({ db, isOnline: () => false })).toEqual({ ok: true });
    expect(await db.problems.count()).toBe(0);
  });
});

describe('the device’s credential', () => {
  const sentBodies = (fetch: ReturnType<typeof vi.fn<typeof globalThis.fetch>>) =>
    fetch.mock.calls.filter(([, init]) => init?.method === 'POST').map(([, init]) => JSON.parse(String(init?.body)) as Record<string, unknown>);
  const deviceTaken = () => new Response(JSON.stringify({ error: 'DEVICE_TAKEN', message: 'This device id is registered to another device.' }), { status: 403, headers: JSON_TYPE });
  const session = (extra: Record<string, unknown> = {}) => new Response(JSON.stringify({ token: 't', user: USER, ...extra }), { status: 200, headers: JSON_TYPE });

  it('keeps the secret issued at the first sign-in and sends it, with the next sequence, ever after', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>()
      .mockResolvedValueOnce(session({ deviceSecret: 'secret-1' }))
      .mockResolvedValueOnce(session());
    await signIn('sam', '1111', { db, fetch });
    expect(await getMeta(db, 'deviceSecret')).toBe('secret-1');
    await setMeta(db, 'nextSeq', 7);
    await signIn('sam', '1111', { db, fetch });
    const deviceId = await getOrCreateDeviceId(db);
    expect(sentBodies(fetch)).toEqual([
      { username: 'sam', pin: '1111', deviceId, nextSeq: 1 },
      { username: 'sam', pin: '1111', deviceId, deviceSecret: 'secret-1', nextSeq: 7 },
    ]);
    // A sign-in that issues nothing leaves the secret as it was.
    expect(await getMeta(db, 'deviceSecret')).toBe('secret-1');
  });

  it('starts afresh under a new device id when the server refuses this one and nothing waits to be sent', async () => {
    await setMeta(db, 'deviceId', 'old-device-id');
    await setMeta(db, 'deviceSecret', 'stale');
    await setMeta(db, 'nextSeq', 9);
    await setMeta(db, 'resultsAfter', 8);
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValueOnce(deviceTaken()).mockResolvedValueOnce(session({ deviceSecret: 'fresh' }));
    expect(await signIn('sam', '1111', { db, fetch })).toMatchObject({ ok: true });
    const [refused, retried] = sentBodies(fetch);
    expect(refused).toMatchObject({ deviceId: 'old-device-id', deviceSecret: 'stale', nextSeq: 9 });
    expect(retried).toEqual({ username: 'sam', pin: '1111', deviceId: expect.not.stringMatching('old-device-id') as string, nextSeq: 1 });
    expect(await getMeta(db, 'deviceId')).toBe(retried!.deviceId);
    expect(await getMeta(db, 'deviceSecret')).toBe('fresh');
    expect(await getMeta(db, 'nextSeq')).toBeUndefined();
    expect(await getMeta(db, 'resultsAfter')).toBeUndefined();
  });

  it('keeps the device id and says so when the server refuses it while scans wait', async () => {
    await setMeta(db, 'deviceId', 'old-device-id');
    await db.outbox.add({
      id: crypto.randomUUID(), seq: 1, type: 'pick', version: 1, args: {}, clientTime: '2026-11-25T10:00:00.000Z',
      status: 'pending', touched: [], actor: { userId: 'u1', deviceId: 'old-device-id', role: 'operator', ownerIds: null },
    });
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(deviceTaken());
    expect(await signIn('sam', '1111', { db, fetch })).toEqual({ ok: false, reason: 'device-taken', message: DEVICE_TAKEN_MESSAGE });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(await getMeta(db, 'deviceId')).toBe('old-device-id');
    expect(await readSession(db)).toBeNull();
  });

  it('shows a locked account and a refused handover as the server words them', async () => {
    const locked = await signIn('sam', '1111', { db, fetch: respond(423, JSON.stringify({ error: 'ACCOUNT_LOCKED', message: 'Locked. Ask a supervisor to unlock it.' })) });
    expect(locked).toEqual({ ok: false, reason: 'locked', message: 'Locked. Ask a supervisor to unlock it.' });
    const unsent = await signIn('sam', '1111', { db, fetch: respond(409, JSON.stringify({ error: 'UNSENT_MUTATIONS', message: 'Scans wait.' })) });
    expect(unsent).toEqual({ ok: false, reason: 'unsent-scans', message: 'Scans wait.' });
  });
});
