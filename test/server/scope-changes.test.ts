// Scope changes through the real server (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): a
// user's owners narrowed or widened, a pick list cancelled or reassigned, and each device's rows
// following at its next pull.
import { describe, expect, it } from 'vitest';
import { BACKENDS, checkAndCloseAfterEach, serverRows, startTestServer, type TestServer } from './harness';
import { DeviceModel, mutation, pickArgs, push } from './client';

type Headers = { authorization: string };

async function userId(server: TestServer, username: string): Promise<string> {
  const { rows } = await server.db.query<{ id: string }>('select id from users where username = $1', [username]);
  return rows[0]!.id;
}

async function setOwners(server: TestServer, admin: Headers, username: string, ownerIds: string[] | null) {
  return server.app.inject({ method: 'PUT', url: `/api/admin/users/${await userId(server, username)}/owners`, headers: admin, payload: { ownerIds } });
}

const withoutKeys = (rows: Map<string, unknown>, keys: string[]) => new Map([...rows].filter(([key]) => !keys.includes(key)));

describe.each(BACKENDS)('scope changes on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('narrows a user’s owners: the next pull drops the other owner’s rows; widening brings them back', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const device = new DeviceModel(server, await server.signIn('operator', '1111'));
    await device.sync();
    expect(device.rows).toEqual(await serverRows(server, null));
    expect(device.rows.has('products/prd-b1')).toBe(true);

    expect((await setOwners(server, admin, 'operator', ['own-a'])).statusCode).toBe(200);
    await device.sync();
    expect(device.scopesTold).toEqual([['own-a']]);
    expect(device.rows).toEqual(await serverRows(server, ['own-a']));
    expect(device.rows.has('products/prd-b1')).toBe(false);
    expect(device.rows.has('owners/own-b')).toBe(false);
    expect(device.rows.has('locations/loc-b01')).toBe(true);

    // A pick on the owner it lost is refused like any unknown line, and that answer arrives.
    const lost = mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1'));
    expect((await push(server.app, device.headers, [lost])).body.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });

    expect((await setOwners(server, admin, 'operator', null)).statusCode).toBe(200);
    await device.sync();
    expect(device.scopesTold).toEqual([['own-a'], null]);
    expect(device.rows).toEqual(await serverRows(server, null));
  });

  it('hands out only the gained owner’s rows when a scope widens, and rows changed meanwhile by the feed', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const beta = new DeviceModel(server, await server.signIn('beta', '3333'));
    await beta.sync();
    expect(beta.rows).toEqual(await serverRows(server, ['own-b']));

    expect((await setOwners(server, admin, 'beta', ['own-a', 'own-b'])).statusCode).toBe(200);
    const operator = await server.signIn('operator', '1111');
    await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 2))]);
    const first = await beta.pullOnce();
    // The walk of what was gained: own-a's rows only, none of the own-b rows the device has.
    expect(first.changes.length).toBeGreaterThan(0);
    expect(first.changes.every((change) => change.table === 'owners' ? change.id === 'own-a' : change.row?.['ownerId'] === 'own-a')).toBe(true);
    await beta.sync();
    expect(beta.rows).toEqual(await serverRows(server, ['own-a', 'own-b']));
    expect(beta.rows.get('pickLines/pln-1')).toMatchObject({ pickedQty: 2 });
  });

  it('keeps the device exact when the owners change again in the middle of a first load', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const device = new DeviceModel(server, await server.signIn('operator', '1111'));
    await device.pullOnce(4);
    await device.pullOnce(4);
    expect((await setOwners(server, admin, 'operator', ['own-b'])).statusCode).toBe(200);
    await device.pullOnce(4);
    expect(device.scopesTold).toEqual([['own-b']]);
    await device.sync(4);
    expect(device.rows).toEqual(await serverRows(server, ['own-b']));
  });

  it('refuses owner changes to non-admins, unknown owners and unknown users', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const supervisor = await server.signIn('supervisor', '2222');
    const beta = await userId(server, 'beta');
    const asSupervisor = await server.app.inject({ method: 'PUT', url: `/api/admin/users/${beta}/owners`, headers: supervisor, payload: { ownerIds: null } });
    expect(asSupervisor.statusCode).toBe(403);
    const unknownOwner = await setOwners(server, admin, 'beta', ['own-zzz']);
    expect(unknownOwner.statusCode).toBe(400);
    expect(unknownOwner.json<{ message: string }>().message).toContain('ownerIds');
    const unknownUser = await server.app.inject({ method: 'PUT', url: '/api/admin/users/usr-nobody/owners', headers: admin, payload: { ownerIds: null } });
    expect(unknownUser.statusCode).toBe(404);
  });

  it('takes a cancelled pick list and its lines off every device; a pending pick on it is rejected', async () => {
    server = await startTestServer(backend);
    const supervisor = await server.signIn('supervisor', '2222');
    const device = new DeviceModel(server, await server.signIn('operator', '1111'));
    await device.sync();
    expect(device.rows.has('pickLines/pln-3')).toBe(true);

    const cancel = await server.app.inject({ method: 'POST', url: '/api/supervisor/pick-lists/pl-2/cancel', headers: supervisor });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json()).toMatchObject({ id: 'pl-2', status: 'cancelled' });
    await device.sync();
    expect(device.rows.has('pickLists/pl-2')).toBe(false);
    expect(device.rows.has('pickLines/pln-3')).toBe(false);
    // The order it alone carried waits on the server again, off the devices, to be batched anew:
    // its grinder is still promised to the other list, so it waits for stock.
    await server.app.allocation.settle();
    const { rows } = await server.db.query<{ status: string }>(`select status from orders where id = '5234567890123456790'`);
    expect(rows[0]!.status).toBe('backordered');
    await device.sync();
    expect(device.rows.has('orders/5234567890123456790')).toBe(false);
    expect(device.rows).toEqual(await serverRows(server, null));

    const late = mutation(1, 'pick', pickArgs('pln-3', 'loc-a02', 'prd-a2'));
    const { body } = await push(server.app, device.headers, [late]);
    expect(body.results[0]).toMatchObject({ status: 'rejected', code: 'DOCUMENT_CLOSED' });
    const fresh = new DeviceModel(server, await server.signIn('admin', '9999'));
    await fresh.sync();
    expect(fresh.rows.has('pickLists/pl-2')).toBe(false);
  });

  it('refuses to cancel a list with picks, another owner’s list, and for operators', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    const supervisor = await server.signIn('supervisor', '2222');
    expect((await server.app.inject({ method: 'POST', url: '/api/supervisor/pick-lists/pl-1/cancel', headers: supervisor })).json()).toMatchObject({ error: 'PICKS_RECORDED' });
    expect((await server.app.inject({ method: 'POST', url: '/api/supervisor/pick-lists/pl-2/cancel', headers: operator })).statusCode).toBe(403);
    const admin = await server.signIn('admin', '9999');
    const created = await server.app.inject({
      method: 'POST', url: '/api/admin/users', headers: admin,
      payload: { username: 'bsuper', displayName: 'Beta Supervisor', pin: '4444', role: 'supervisor', ownerIds: ['own-b'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const betaSupervisor = await server.signIn('bsuper', '4444');
    const other = await server.app.inject({ method: 'POST', url: '/api/supervisor/pick-lists/pl-2/cancel', headers: betaSupervisor });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('PL-000002');
    const { rows } = await server.db.query<{ status: string }>("select status from pick_lists where id = 'pl-2'");
    expect(rows[0]!.status).toBe('open');
  });

  it('moves a reassigned list from the old picker’s device to the new one’s, and hides it from first loads of others', async () => {
    server = await startTestServer(backend);
    const supervisorHeaders = await server.signIn('supervisor', '2222');
    const operator = new DeviceModel(server, await server.signIn('operator', '1111'));
    const supervisor = new DeviceModel(server, supervisorHeaders);
    await operator.sync();
    await supervisor.sync();
    const list = ['pickLists/pl-1', 'pickLines/pln-1', 'pickLines/pln-2'];
    const assign = (userIdOrNull: string | null) =>
      server.app.inject({ method: 'PUT', url: '/api/supervisor/pick-lists/pl-1/assignee', headers: supervisorHeaders, payload: { userId: userIdOrNull } });

    expect((await assign(await userId(server, 'operator'))).statusCode).toBe(200);
    await operator.sync();
    await supervisor.sync();
    for (const key of list) {
      expect(operator.rows.has(key)).toBe(true);
      expect(supervisor.rows.has(key)).toBe(false);
    }
    // A pick by its picker keeps the list theirs alone.
    await push(server.app, operator.headers, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    await supervisor.sync();
    await operator.sync();
    expect(supervisor.rows.has('pickLines/pln-1')).toBe(false);
    expect(operator.rows.get('pickLines/pln-1')).toMatchObject({ pickedQty: 1 });

    expect((await assign(await userId(server, 'supervisor'))).statusCode).toBe(200);
    await operator.sync();
    await supervisor.sync();
    for (const key of list) {
      expect(operator.rows.has(key)).toBe(false);
      expect(supervisor.rows.has(key)).toBe(true);
    }
    const fresh = new DeviceModel(server, await server.signIn('admin', '9999'));
    await fresh.sync();
    expect(fresh.rows).toEqual(withoutKeys(await serverRows(server, null), list));

    expect((await assign(null)).statusCode).toBe(200);
    await operator.sync();
    expect(operator.rows).toEqual(await serverRows(server, null));
    // Nobody outside the list's owner can be given it.
    expect((await assign(await userId(server, 'beta'))).statusCode).toBe(400);
  });

  it('hands out the warehouse time zone with every page', async () => {
    server = await startTestServer(backend);
    const device = new DeviceModel(server, await server.signIn('operator', '1111'));
    expect((await device.pullOnce()).timeZone).toBe('UTC');
  });
});
