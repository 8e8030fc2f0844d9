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
