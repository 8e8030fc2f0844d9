// The supervisor's device list against the real server in-process (PGlite): a device whose pushes
// the server refuses shows up stuck, with its unsent work; an operator is told it is not theirs.
// Override codes: a supervisor gets them, an operator does not, and offline nothing is asked.
// The floor's pick lists, scans and exceptions through the typed client, with their actions.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server/harness';
import { mutation, pickArgs } from '../../../test/server/client';
import { pendingReportHeaders } from '../../domain/device-health';
import { createSupervisorCommands } from './commands';
import { serverFetch } from '../../../test/support/server-fetch';
import { signedInDevices } from '../../../test/support/signed-in-device';

let server: TestServer;
const signedIn = signedInDevices(() => server, 'supervisor');

afterEach(async () => {
  await server.app.close();
});

describe('loadDevices', () => {
  it('lists a device whose pushes the server refuses as stuck, with what it holds unsent', async () => {
    server = await startTestServer('pglite');
    const operator = await server.signIn('operator', '1111');
    // Two mutations out of sequence: the whole push is refused (400), with the device's report.
    const refused = await server.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: operator.authorization, ...pendingReportHeaders({ pending: 4, oldestAgeSeconds: 420 }) },
      payload: { mutations: [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1')), mutation(3, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))] },
    });
    expect(refused.statusCode).toBe(400);

    const commands = createSupervisorCommands(await signedIn('supervisor', '2222'), { fetch: serverFetch(server.app) });
    await expect.poll(async () => {
      const result = await commands.loadDevices();
      return result.ok ? result.devices.find((device) => device.id === operator.deviceId) : result;
    }).toMatchObject({ userName: 'Olivia Operator', pendingCount: 4, pushFailures: 1, lastPushError: { status: 400, code: 'BAD_REQUEST' }, stuck: true });
  });

  it('tells an operator the list is not theirs, and says so when the server cannot be reached', async () => {
    server = await startTestServer('pglite');
    const db = await signedIn('operator', '1111');
    expect(await createSupervisorCommands(db, { fetch: serverFetch(server.app) }).loadDevices()).toEqual({
      ok: false,
      message: 'Devices are shown to supervisors and admins only.',
    });
    const unreachable = createSupervisorCommands(db, { fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(await unreachable.loadDevices()).toMatchObject({ ok: false, message: expect.stringContaining('could not be reached') });
  });
});

describe('floor commands', () => {
  it('reads pick lists, a list’s scans and pickers, resolves a short pick and reassigns a list; offline asks nothing', async () => {
    server = await startTestServer('pglite');
    const operator = await server.signIn('operator', '1111');
    await server.app.inject({
      method: 'POST', url: '/api/sync/push', headers: operator,
      payload: { mutations: [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 2)), mutation(2, 'short-pick', { pickLineId: 'pln-2', qty: 1, reason: 'damaged' })] },
    });
    const db = await signedIn('supervisor', '2222');
    const commands = createSupervisorCommands(db, { fetch: serverFetch(server.app), isOnline: () => true });
    const lists = await commands.loadPickLists({ owner: 'ACME', zone: undefined, status: 'active' });
    expect(lists.ok && lists.data.lists.find((l) => l.id === 'pl-1')).toMatchObject({ unitsPicked: 2, unitsShort: 1, linesDone: 1 });
    const detail = await commands.loadPickList('pl-1');
    expect(detail.ok && detail.data.scans.map((s) => s.type)).toEqual(['pick', 'short-pick']);
    expect(await commands.loadPickList('no-such')).toEqual({ ok: false, message: 'No such pick list.', offline: false });
    const pickers = await commands.loadPickers();
    expect(pickers.ok && pickers.data.pickers.map((p) => p.shift.units)).toEqual([2]);

    const counted = await commands.resolveException({ kind: 'short_pick', ref: 'pln-2' });
    expect(counted).toMatchObject({ ok: true, data: { resolved: { by: 'Sam Supervisor' } } });
    const exceptions = await commands.loadExceptions();
    expect(exceptions.ok && exceptions.data.exceptions.find((e) => e.ref === 'pln-2')).toMatchObject({ resolved: { by: 'Sam Supervisor' } });
    const users = await commands.loadAssignableUsers();
    const olivia = users.ok ? users.data.users.find((u) => u.displayName === 'Olivia Operator')! : null;
    expect(await commands.assignPickList('pl-2', olivia!.id)).toMatchObject({ ok: true });

    const offline = createSupervisorCommands(db, { fetch: () => Promise.reject(new Error('must not be asked')), isOnline: () => false });
    expect(await offline.loadPickLists({})).toMatchObject({ ok: false, offline: true });
  });
});

describe('getOverrideCodes', () => {
  it('gets a supervisor five new codes, and tells an operator they are not theirs', async () => {
    server = await startTestServer('pglite');
    const commands = createSupervisorCommands(await signedIn('supervisor', '2222'), { fetch: serverFetch(server.app), isOnline: () => true });
    const result = await commands.getOverrideCodes();
    expect(result).toMatchObject({ ok: true, codes: expect.arrayContaining([expect.stringMatching(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/)]) });
    expect(result.ok && result.codes).toHaveLength(5);
    const { rows } = await server.db.query<{ n: number }>('select count(*)::int as n from override_codes where used_at is null');
    expect(rows[0]!.n).toBe(5);

    const operator = createSupervisorCommands(await signedIn('operator', '1111'), { fetch: serverFetch(server.app), isOnline: () => true });
    expect(await operator.getOverrideCodes()).toEqual({ ok: false, message: 'Override codes are for supervisors and admins only.' });
  });

  it('asks nothing of the server while offline', async () => {
    server = await startTestServer('pglite');
    const db = await signedIn('supervisor', '2222');
    let fetched = 0;
    const counted: typeof fetch = (...args) => {
      fetched++;
      return serverFetch(server.app)(...args);
    };
    const offline = createSupervisorCommands(db, { fetch: counted, isOnline: () => false });
    expect(await offline.getOverrideCodes()).toEqual({ ok: false, message: 'Override codes come from the server: connect this device to the network to get them.' });
    expect(fetched).toBe(0);
  });
});
