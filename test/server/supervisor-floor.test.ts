// The supervisor's floor routes through the real server: pick lists with their progress and scans,
// pickers' rates, and exceptions with the actions that resolve them — scoped by the caller's owners
// (a supervisor of owner B sees none of A's), refused to operators, on PGlite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import type { ExceptionsAnswer, PickersAnswer, PickListDetail, PickListsAnswer } from '../../src/domain/supervisor-floor';
import { shiftStart } from '../../src/domain/supervisor-floor';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, push } from './client';
import { fixtureWarehouse } from './fixture';

type Headers = { authorization: string };

/** The fixture with a supervisor of owner B alone. */
function withBetaSupervisor() {
  const data = fixtureWarehouse();
  data.users.push({ username: 'beta-sup', displayName: 'Bea Beta', pin: '5555', role: 'supervisor', ownerIds: ['own-b'] });
  return data;
}

/** Owner A's names a supervisor of owner B alone must never read. */
const OWNER_A_SECRETS = ['ACME', 'Espresso', 'Grinder', 'PL-000001', 'PL-000002', '#1001', '#1002', 'own-a'];

describe.each(BACKENDS)('supervisor floor routes (%s)', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  const get = async <T>(headers: Headers, url: string, status = 200) => {
    const response = await server.app.inject({ method: 'GET', url, headers });
    expect(response.statusCode, response.body).toBe(status);
    return response.json<T>();
  };
  const post = async <T>(headers: Headers, url: string, payload: unknown, status = 200) => {
    const response = await server.app.inject({ method: 'POST', url, headers, payload: payload as object });
    expect(response.statusCode, response.body).toBe(status);
    return response.json<T>();
  };

  it('lists pick lists with lines and units done, short units, last scanner and wave; filters by owner, zone and status', async () => {
    server = await startTestServer(backend, withBetaSupervisor());
    const operator = await server.signIn('operator', '1111');
    const supervisor = await server.signIn('supervisor', '2222');
    const before = await get<PickListsAnswer>(supervisor, '/api/supervisor/pick-lists');
    expect(before.lists.map((l) => l.number).sort()).toEqual(['PL-000001', 'PL-000002', 'PL-000003']);

    expect((await push(server.app, operator, [
      mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 2)),
      mutation(2, 'short-pick', { pickLineId: 'pln-2', qty: 1, reason: 'damaged' }),
    ])).status).toBe(200);
    const { lists } = await get<PickListsAnswer>(supervisor, '/api/supervisor/pick-lists?owner=ACME&zone=a&status=all');
    const pl1 = lists.find((l) => l.id === 'pl-1')!;
    expect(lists.map((l) => l.ownerId)).toEqual(['own-a', 'own-a']);
    expect(pl1).toMatchObject({ lines: 2, linesDone: 1, units: 4, unitsPicked: 2, unitsShort: 1, zones: ['A'], wave: null, lastScan: { userName: 'Olivia Operator' } });
    expect(await get<PickListsAnswer>(supervisor, '/api/supervisor/pick-lists?zone=Z')).toEqual({ lists: [] });
    expect((await get<PickListsAnswer>(supervisor, '/api/supervisor/pick-lists?status=done')).lists).toEqual([]);
  });

  it('opens one list: its lines, and every scan with who, which device, when and the server’s reason', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    const supervisor = await server.signIn('supervisor', '2222');
    await push(server.app, operator, [
      mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 1)),
      // Past the line's quantity: rejected, and shown with its code.
      mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 5)),
      mutation(3, 'unpick', { pickLineId: 'pln-1', qty: 1 }),
    ]);
    const detail = await get<PickListDetail>(supervisor, '/api/supervisor/pick-lists/pl-1');
    expect(detail.lines.map((l) => [l.binCode, l.sku, l.qty, l.pickedQty])).toEqual([['A-01-1', 'ACME-ESP', 3, 0], ['A-02-1', 'ACME-GRN', 1, 0]]);
    expect(detail.scans.map((s) => [s.type, s.qty, s.status, s.userName, s.deviceId])).toEqual([
      ['pick', 1, 'applied', 'Olivia Operator', operator.deviceId],
      ['pick', 5, 'rejected', 'Olivia Operator', operator.deviceId],
      ['unpick', 1, 'applied', 'Olivia Operator', operator.deviceId],
    ]);
    expect(detail.scans[1]!.code).toMatch(/[A-Z_]+/);
    await get(supervisor, '/api/supervisor/pick-lists/no-such-list', 404);
  });

  it('rates each picker over the last hour and the shift, with the current list, last bin, idle time and a 15-minute series', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    const supervisor = await server.signIn('supervisor', '2222');
    await push(server.app, operator, [
      mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 2)),
      mutation(2, 'pick', pickArgs('pln-2', 'loc-a02', 'prd-a2', 1)),
      mutation(3, 'unpick', { pickLineId: 'pln-1', qty: 1 }),
    ]);
    const answer = await get<PickersAnswer>(supervisor, '/api/supervisor/pickers');
    expect(['since-06:00', 'last-8h']).toContain(answer.shift.basis);
    expect(answer.pickers).toHaveLength(1);
    const picker = answer.pickers[0]!;
    expect(picker).toMatchObject({ userName: 'Olivia Operator', lastHour: { units: 2, lines: 2 }, shift: { units: 2, lines: 2 }, currentList: { id: 'pl-1', number: 'PL-000001' }, lastBin: 'A-01-1' });
    expect(picker.idleSeconds).toBeLessThan(60);
    expect(picker.series.reduce((a, b) => a + b, 0)).toBe(2);
    expect(picker.series).toHaveLength(Math.ceil((Date.parse(answer.shift.now) - Date.parse(answer.shift.startedAt)) / 900_000));
    // Owner B's pickers only: none picked for B.
    expect((await get<PickersAnswer>(supervisor, '/api/supervisor/pickers?owner=BETA')).pickers).toEqual([]);
  });

  it('starts the shift at 06:00 warehouse time, and before it takes the last 8 hours', () => {
    // 2026-11-25 10:30 in New York (UTC-5): since 11:00 UTC.
    expect(shiftStart('America/New_York', Date.parse('2026-11-25T15:30:00Z'))).toEqual({ startedAt: Date.parse('2026-11-25T11:00:00Z'), basis: 'since-06:00' });
    // 04:00 in Berlin (UTC+1): the last 8 h.
    expect(shiftStart('Europe/Berlin', Date.parse('2026-11-25T03:00:00Z'))).toEqual({ startedAt: Date.parse('2026-11-24T19:00:00Z'), basis: 'last-8h' });
  });

  it('lists exceptions with their actions; resolving and retrying record who, on the audit trail too', async () => {
    // The notice runner stays still: a retried notice is due, not sent (its integration has no callback).
    server = await startTestServer(backend, fixtureWarehouse(), { fulfillment: { background: false } });
    const operator = await server.signIn('operator', '1111');
    const supervisor = await server.signIn('supervisor', '2222');
    await push(server.app, operator, [
      mutation(1, 'short-pick', { pickLineId: 'pln-1', qty: 3, reason: 'out_of_stock' }),
      mutation(2, 'pick', pickArgs('pln-2', 'loc-a02', 'prd-a2', 9)),
    ]);
    await server.db.query(`update orders set status = 'on_hold', hold_reason = 'UNKNOWN_SKU' where id = '5234567890123456791'`);
    await server.db.query(`insert into integrations (id, owner_id, name, type) values ('int-1', 'own-b', 'Beta API', 'api')`);
    const { rows } = await server.db.query<{ id: string }>(
      `insert into fulfillment_notices (owner_id, order_id, integration_id, idempotency_key, payload, created_at, last_status, last_error, attempts, next_attempt_at)
       values ('own-b', '5234567890123456791', 'int-1', 'shipment:x', '{}'::jsonb, now() - interval '2 hours', 500, 'HTTP 500', 3, now() + interval '1 hour') returning id::text`,
    );
    const noticeId = rows[0]!.id;

    const { exceptions } = await get<ExceptionsAnswer>(supervisor, '/api/supervisor/exceptions');
    const byKind = new Map(exceptions.map((e) => [e.kind, e]));
    expect(byKind.get('short_pick')).toMatchObject({ ref: 'pln-1', sku: 'ACME-ESP', binCode: 'A-01-1', qty: 3, reason: 'out_of_stock', userName: 'Olivia Operator', actions: ['mark-counted'], resolved: null });
    expect(byKind.get('rejected_mutation')).toMatchObject({ ref: `${operator.deviceId}/2`, pickListNumber: 'PL-000001', actions: ['mark-handled', 'reassign'] });
    expect(byKind.get('rejected_mutation')!.reason).toBeTruthy();
    expect(byKind.get('order_on_hold')).toMatchObject({ orderNumber: '#2001', reason: 'UNKNOWN_SKU', actions: ['release'] });
    expect(byKind.get('notice_failing')).toMatchObject({ ref: noticeId, reason: 'HTTP_500', message: 'HTTP 500', actions: ['retry'], resolved: null });

    const counted = await post<{ resolved: { by: string } }>(supervisor, '/api/supervisor/exceptions/resolve', { kind: 'short_pick', ref: 'pln-1' });
    expect(counted.resolved.by).toBe('Sam Supervisor');
    await post(supervisor, '/api/supervisor/exceptions/resolve', { kind: 'rejected_mutation', ref: `${operator.deviceId}/2` });
    await post(supervisor, '/api/supervisor/exceptions/resolve', { kind: 'short_pick', ref: 'pln-3' }, 404);
    const retried = await post<{ resolved: { by: string } }>(supervisor, `/api/supervisor/fulfillment-notices/${noticeId}/retry`, {});
    expect(retried.resolved.by).toBe('Sam Supervisor');
    const due = await server.db.query<{ due: boolean }>(`select next_attempt_at <= now() as due from fulfillment_notices where id::text = $1`, [noticeId]);
    expect(due.rows[0]!.due).toBe(true);

    const after = new Map((await get<ExceptionsAnswer>(supervisor, '/api/supervisor/exceptions')).exceptions.map((e) => [e.kind, e]));
    expect(after.get('short_pick')).toMatchObject({ actions: [], resolved: { by: 'Sam Supervisor' } });
    expect(after.get('rejected_mutation')).toMatchObject({ actions: [], resolved: { by: 'Sam Supervisor' } });
    expect(after.get('notice_failing')).toMatchObject({ actions: ['retry'], resolved: { by: 'Sam Supervisor' } });
    const open = (await get<ExceptionsAnswer>(supervisor, '/api/supervisor/exceptions?state=open')).exceptions.map((e) => e.kind);
    expect(open).not.toContain('short_pick');

    const audit = await server.db.query<{ event: string; username: string }>(`select event, username from auth_audit where event in ('exception_resolved', 'notice_retried') order by id`);
    expect(audit.rows).toEqual([
      { event: 'exception_resolved', username: 'supervisor' },
      { event: 'exception_resolved', username: 'supervisor' },
      { event: 'notice_retried', username: 'supervisor' },
    ]);
  });

  it('reassigns a pick list on the audit trail', async () => {
    server = await startTestServer(backend);
    const supervisor = await server.signIn('supervisor', '2222');
    const { users } = await get<{ users: { id: string; displayName: string }[] }>(supervisor, '/api/supervisor/assignable-users');
    const olivia = users.find((u) => u.displayName === 'Olivia Operator')!;
    const response = await server.app.inject({ method: 'PUT', url: '/api/supervisor/pick-lists/pl-1/assignee', headers: supervisor, payload: { userId: olivia.id } });
    expect(response.statusCode, response.body).toBe(200);
    const { lists } = await get<PickListsAnswer>(supervisor, '/api/supervisor/pick-lists');
    expect(lists.find((l) => l.id === 'pl-1')).toMatchObject({ assignedUserId: olivia.id, assignedUserName: 'Olivia Operator' });
    const audit = await server.db.query<{ details: { to: string } }>(`select details from auth_audit where event = 'pick_list_assigned'`);
    expect(audit.rows.map((r) => r.details.to)).toEqual([olivia.id]);
  });

  it('shows a supervisor of owner B none of owner A’s lists, scans, pickers or exceptions, and refuses operators', async () => {
    server = await startTestServer(backend, withBetaSupervisor());
    const operator = await server.signIn('operator', '1111');
    await push(server.app, operator, [
      mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 1)),
      mutation(2, 'short-pick', { pickLineId: 'pln-2', qty: 1, reason: 'damaged' }),
      mutation(3, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 9)),
    ]);
    await server.db.query(`update orders set status = 'on_hold', hold_reason = 'UNKNOWN_SKU' where id = '5234567890123456789'`);
    const beta = await server.signIn('beta-sup', '5555');
    const answers = [
      await get<PickListsAnswer>(beta, '/api/supervisor/pick-lists?status=all'),
      await get<PickersAnswer>(beta, '/api/supervisor/pickers'),
      await get<ExceptionsAnswer>(beta, '/api/supervisor/exceptions'),
    ];
    expect(answers[0]).toMatchObject({ lists: [{ id: 'pl-3' }] });
    expect((answers[1] as PickersAnswer).pickers).toEqual([]);
    expect((answers[2] as ExceptionsAnswer).exceptions).toEqual([]);
    for (const answer of answers) for (const secret of OWNER_A_SECRETS) expect(JSON.stringify(answer)).not.toContain(secret);
    // Another owner's list, exception or filter is "not found", naming nothing of it.
    const refused = await server.app.inject({ method: 'GET', url: '/api/supervisor/pick-lists/pl-1', headers: beta });
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain('PL-000001');
    await post(beta, '/api/supervisor/exceptions/resolve', { kind: 'short_pick', ref: 'pln-2' }, 404);
    await post(beta, '/api/supervisor/exceptions/resolve', { kind: 'rejected_mutation', ref: `${operator.deviceId}/3` }, 404);
    await get(beta, '/api/supervisor/pick-lists?owner=ACME', 404);

    for (const url of ['/api/supervisor/pick-lists', '/api/supervisor/pick-lists/pl-1', '/api/supervisor/pickers', '/api/supervisor/exceptions', '/api/supervisor/assignable-users']) {
      await get(operator, url, 403);
    }
    await post(operator, '/api/supervisor/exceptions/resolve', { kind: 'short_pick', ref: 'pln-2' }, 403);
    await post(operator, '/api/supervisor/fulfillment-notices/1/retry', {}, 403);
  });
});
