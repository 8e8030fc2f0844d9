// Supervisors' override codes: issued online, kept hashed, each spent once by the server on a
// short close, for the issuer's owners only; refusals say nothing of why, and a device guessing
// too often is refused outright. PGlite, and PostgreSQL when TEST_DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  issueOverrideCodes,
  OVERRIDE_CODE_REFUSED,
  redeemOverrideCode,
  TOO_MANY_OVERRIDE_FAILURES,
  type OverrideRedemption,
} from '../../server/orders/override-codes';
import type { Queryable } from '../../server/db/index';
import { fixtureWarehouse } from './fixture';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';

/** A code as issued: two groups of four, none of 0, O, 1, I or L. */
const CODE_FORMAT = /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/;

/** The fixture, plus a supervisor of Beta Outdoor only. */
function withBetaSupervisor() {
  const data = fixtureWarehouse();
  data.users.push({ username: 'beta-lead', displayName: 'Bea Lead', pin: '4444', role: 'supervisor', ownerIds: ['own-b'] });
  return data;
}

async function userId(server: TestServer, username: string): Promise<string> {
  const { rows } = await server.db.query<{ id: string }>('select id from users where username = $1', [username]);
  return rows[0]!.id;
}

/** Redeems `code` for Acme's order #1001 from `deviceId`, in a transaction of its own. */
function redeem(server: TestServer, code: string, patch: Partial<OverrideRedemption> = {}) {
  const request: OverrideRedemption = { code, ownerId: 'own-a', orderId: '5234567890123456789', mutationId: randomUUID(), deviceId: 'dev-pack-1', ...patch };
  return server.db.transaction((tx: Queryable) => redeemOverrideCode(tx, request));
}

describe.each(BACKENDS)('override codes on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('issues readable codes kept only as hashes; each is spent once, however it is typed', async () => {
    server = await startTestServer(backend);
    const supervisor = await userId(server, 'supervisor');
    const { codes, expiresAt } = await issueOverrideCodes(server.db, { userId: supervisor, ownerIds: null }, 5);
    expect(codes).toHaveLength(5);
    expect(new Set(codes).size).toBe(5);
    for (const code of codes) expect(code).toMatch(CODE_FORMAT);
    const hours = (Date.parse(expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const stored = await server.db.query<Record<string, unknown>>('select * from override_codes');
    expect(stored.rows).toHaveLength(5);
    const everything = JSON.stringify(stored.rows);
    for (const code of codes) {
      expect(everything).not.toContain(code);
      expect(everything).not.toContain(code.replace('-', ''));
    }

    const mutationId = randomUUID();
    const code = codes[0]!;
    // Typed in lower case, with spaces where the dash was: the same code.
    expect(await redeem(server, ` ${code.toLowerCase().replace('-', ' ')} `, { mutationId })).toEqual({ ok: true, issuedBy: supervisor });
    expect(await redeem(server, code)).toEqual({ ok: false, message: OVERRIDE_CODE_REFUSED });
    const { rows } = await server.db.query<{ used_by_mutation: string; used_for_order: string }>('select used_by_mutation, used_for_order from override_codes where used_at is not null');
    expect(rows).toEqual([{ used_by_mutation: mutationId, used_for_order: '5234567890123456789' }]);
    // The others still work.
    expect(await redeem(server, codes[1]!)).toMatchObject({ ok: true });
  });

  it('refuses an expired code, a wrong one, and one of a supervisor no longer active, all in the same words', async () => {
    server = await startTestServer(backend);
    const supervisor = await userId(server, 'supervisor');
    const { codes } = await issueOverrideCodes(server.db, { userId: supervisor, ownerIds: null }, 2);
    await server.db.query(`update override_codes set expires_at = now() - interval '1 minute'`);
    expect(await redeem(server, codes[0]!)).toEqual({ ok: false, message: OVERRIDE_CODE_REFUSED });
    expect(await redeem(server, 'ABCD-EFGH', { deviceId: 'dev-pack-2' })).toEqual({ ok: false, message: OVERRIDE_CODE_REFUSED });

    const fresh = await issueOverrideCodes(server.db, { userId: supervisor, ownerIds: null }, 1);
    await server.db.query('update users set active = false where id = $1', [supervisor]);
    expect(await redeem(server, fresh.codes[0]!, { deviceId: 'dev-pack-3' })).toEqual({ ok: false, message: OVERRIDE_CODE_REFUSED });
  });

  it('takes a code for the issuer’s owners only; an admin’s works for every owner', async () => {
    server = await startTestServer(backend, withBetaSupervisor());
    const betaLead = await userId(server, 'beta-lead');
    const admin = await userId(server, 'admin');
    const beta = await issueOverrideCodes(server.db, { userId: betaLead, ownerIds: ['own-b'] }, 1);
    expect(await redeem(server, beta.codes[0]!)).toEqual({ ok: false, message: OVERRIDE_CODE_REFUSED });
    // Refused for Acme, it was not spent: it still works for Beta.
    expect(await redeem(server, beta.codes[0]!, { ownerId: 'own-b', orderId: '5234567890123456791' })).toEqual({ ok: true, issuedBy: betaLead });

    const everyOwner = await issueOverrideCodes(server.db, { userId: admin, ownerIds: null }, 2);
    expect(await redeem(server, everyOwner.codes[0]!)).toEqual({ ok: true, issuedBy: admin });
    expect(await redeem(server, everyOwner.codes[1]!, { ownerId: 'own-b', orderId: '5234567890123456791' })).toEqual({ ok: true, issuedBy: admin });
  });

  it('refuses every code from a device after five refused in 15 minutes, without looking it up; other devices go on', async () => {
    server = await startTestServer(backend);
    const supervisor = await userId(server, 'supervisor');
    const { codes } = await issueOverrideCodes(server.db, { userId: supervisor, ownerIds: null }, 2);
    for (let guess = 0; guess < 5; guess++) expect(await redeem(server, `WXYZ-${2345 + guess}`)).toEqual({ ok: false, message: OVERRIDE_CODE_REFUSED });
    expect(await redeem(server, codes[0]!)).toEqual({ ok: false, message: TOO_MANY_OVERRIDE_FAILURES });
    const unspent = await server.db.query<{ n: number }>('select count(*)::int as n from override_codes where used_at is null');
    expect(unspent.rows[0]!.n).toBe(2);
    expect(await redeem(server, codes[0]!, { deviceId: 'dev-pack-2' })).toMatchObject({ ok: true });

    // Once the failures are older than the window, the device's codes are looked at again.
    await server.db.query(`update override_failures set at = at - interval '16 minutes'`);
    expect(await redeem(server, codes[1]!)).toMatchObject({ ok: true });
  });

  it('spends one code once when two servers redeem it at the same moment', async () => {
    server = await startTestServer(backend);
    const supervisor = await userId(server, 'supervisor');
    for (let round = 0; round < 5; round++) {
      const { codes } = await issueOverrideCodes(server.db, { userId: supervisor, ownerIds: null }, 1);
      const answers = await Promise.all([
        redeem(server, codes[0]!, { deviceId: `dev-a-${round}` }),
        redeem(server, codes[0]!, { deviceId: `dev-b-${round}` }),
      ]);
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect(answers.filter((answer) => !answer.ok)).toEqual([{ ok: false, message: OVERRIDE_CODE_REFUSED }]);
    }
  });

  it('POST /api/supervisor/override-codes: supervisors and admins get codes for their owners, never cached, on the audit trail', async () => {
    server = await startTestServer(backend, withBetaSupervisor());
    const supervisor = await server.signIn('supervisor', '2222');
    const issued = await server.app.inject({ method: 'POST', url: '/api/supervisor/override-codes', headers: supervisor, payload: {} });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.headers['cache-control']).toBe('no-store');
    const body = issued.json<{ codes: string[]; expiresAt: string }>();
    expect(body.codes).toHaveLength(5);
    for (const code of body.codes) expect(code).toMatch(CODE_FORMAT);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    expect(await redeem(server, body.codes[0]!)).toMatchObject({ ok: true });

    const betaLead = await server.signIn('beta-lead', '4444');
    const three = await server.app.inject({ method: 'POST', url: '/api/supervisor/override-codes', headers: betaLead, payload: { count: 3 } });
    expect(three.json<{ codes: string[] }>().codes).toHaveLength(3);
    const scoped = await server.db.query<{ owner_ids: string[] | null }>('select owner_ids from override_codes where issued_by = $1', [await userId(server, 'beta-lead')]);
    expect(scoped.rows.map((row) => row.owner_ids)).toEqual([['own-b'], ['own-b'], ['own-b']]);

    const admin = await server.signIn('admin', '9999');
    expect((await server.app.inject({ method: 'POST', url: '/api/supervisor/override-codes', headers: admin, payload: { count: 1 } })).statusCode).toBe(200);

    const tooMany = await server.app.inject({ method: 'POST', url: '/api/supervisor/override-codes', headers: supervisor, payload: { count: 11 } });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toContain('count');
    const operator = await server.signIn('operator', '1111');
    const refused = await server.app.inject({ method: 'POST', url: '/api/supervisor/override-codes', headers: operator, payload: { count: 1 } });
    expect(refused.statusCode).toBe(403);
    // The role is checked before the body is read: a broken body from an operator is 403 all the same.
    const broken = await server.app.inject({ method: 'POST', url: '/api/supervisor/override-codes', headers: { ...operator, 'content-type': 'application/json' }, payload: '{"count": [' });
    expect(broken.statusCode).toBe(403);
    expect(broken.body).not.toContain('body/');

    const audit = await server.db.query<{ username: string; details: { count: number; ownerIds: string[] | null } }>(
      `select username, details from auth_audit where event = 'override_codes_issued' order by id`,
    );
    expect(audit.rows).toMatchObject([
      { username: 'supervisor', details: { count: 5, ownerIds: null } },
      { username: 'beta-lead', details: { count: 3, ownerIds: ['own-b'] } },
      { username: 'admin', details: { count: 1, ownerIds: null } },
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(body.codes[1]!);
  });
});
