// @vitest-environment jsdom
// signIn/signOut against a stubbed network and a fresh IndexedDB: every outcome is a result.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DockhandDb } from '../../storage/db';
import { getOrCreateDeviceId, readSession } from '../../storage/session-repo';
import { OFFLINE_MESSAGE, signIn, signOut } from './commands';

const USER = { id: 'u1', username: 'sam', displayName: 'Sam', role: 'supervisor', ownerIds: ['o1'] };
let db: DockhandDb;

beforeEach(() => {
  db = new DockhandDb(`dockhand-test-${crypto.randomUUID()}`);
});
afterEach(async () => {
  await db.delete();
});

const respond = (status: number, body: string) =>
  vi.fn<typeof globalThis.fetch>().mockImplementation(() => Promise.resolve(new Response(body, { status })));

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
    const result = await signIn('sam', '1', { db, fetch: respond(200, '<html>Log in to Guest Wi-Fi</html>') });
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
      .mockResolvedValueOnce(new Response(JSON.stringify({ token: 't-sam', user: USER }), { status: 200 }))
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
