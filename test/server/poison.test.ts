// No poison mutation can stall a device: content the database cannot store, a reused id or a fault
// it triggers is that mutation's stored rejection and the queue moves on; only a transient fault is
// 503; ids are canonical so a replay in another case is a replay. PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app';
import type { Db, Queryable } from '../../server/db/index';
import type { MutationEnvelope } from '../../src/domain';
import { BACKENDS, checkAndCloseAfterEach, expectLedgerMatchesBalances, startTestServer, type Backend, type TestServer } from './harness';
import { mutation, pickArgs, pull, pullAll, push } from './client';
import { TODAY } from './fixture';

type Headers = { authorization: string; deviceId: string };

/** A mutation as a device might send it, whatever its content. */
type RawMutation = Omit<MutationEnvelope, 'type' | 'version' | 'args' | 'clientTime'> & Record<string, unknown>;

const cleanPick = (seq: number) => mutation(seq, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'));
/** Undoes a `cleanPick`: the unit goes back to its bin. */
const cleanUnpick = (seq: number) => mutation(seq, 'unpick', { pickLineId: 'pln-1', qty: 1 });

/** Pushes raw JSON text, so the deepest nesting and every lone surrogate reach the server as sent. */
async function pushRaw(app: FastifyInstance, headers: Headers, mutations: RawMutation[] | string) {
  const payload = typeof mutations === 'string' ? mutations : JSON.stringify({ mutations });
  const response = await app.inject({
    method: 'POST', url: '/api/sync/push', headers: { authorization: headers.authorization, 'content-type': 'application/json' }, payload,
  });
  return { status: response.statusCode, body: response.json<{ results?: { mutationId: string; seq: number; status: string; code: string | null; message: string | null; details: Record<string, unknown> | null; type: string }[]; error?: string; message?: string }>() };
}

async function stockQty(server: TestServer, locationId: string, productId: string): Promise<number> {
  const { rows } = await server.db.query<{ qty: number }>('select coalesce(sum(qty), 0)::int as qty from stock where location_id = $1 and product_id = $2', [locationId, productId]);
  return rows[0]!.qty;
}

async function nextSeq(server: TestServer, deviceId: string): Promise<number> {
  const { rows } = await server.db.query<{ next_seq: number }>('select next_seq from devices where id = $1', [deviceId]);
  return Number(rows[0]?.next_seq ?? 1);
}

/** How many pick mutations moved stock (each moves it out of a bin and into packing). */
async function appliedPicks(server: TestServer): Promise<number> {
  const { rows } = await server.db.query<{ n: number }>("select count(distinct mutation_id)::int as n from stock_movements where reason = 'pick'");
  return rows[0]!.n;
}

const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Each poison: a pick (or its envelope) spoiled one way; all are the mutation's own fault. */
const POISONS: { name: string; spoil: (m: MutationEnvelope) => RawMutation | string; field: string }[] = [
  { name: 'a NUL in a field the rule uses', spoil: (m) => ({ ...m, args: { ...m.args, productId: 'prd-a1\u0000' } }), field: 'args' },
  { name: 'a NUL in an extra field the rule ignores', spoil: (m) => ({ ...m, args: { ...m.args, note: 'left\u0000over' } }), field: 'args' },
  { name: 'a NUL in a key', spoil: (m) => ({ ...m, args: { ...m.args, 'no\u0000te': 'x' } }), field: 'args' },
  { name: 'a lone surrogate', spoil: (m) => ({ ...m, args: { ...m.args, lot: 'LOT-\uD800' } }), field: 'args' },
  { name: 'version 2^31', spoil: (m) => ({ ...m, version: 2 ** 31 }), field: 'version' },
  { name: 'version 2^53 - 1', spoil: (m) => ({ ...m, version: Number.MAX_SAFE_INTEGER }), field: 'version' },
  { name: 'a version that is no whole number', spoil: (m) => ({ ...m, version: '1' }), field: 'version' },
  {
    name: 'args nested 5,000 deep',
    spoil: (m) => JSON.stringify({ mutations: [{ ...m, args: 'DEEP' }] }).replace('"DEEP"', `{"pickLineId":"pln-1","extra":${nested(5000)}}`),
    field: 'args',
  },
  { name: 'args with 10,000 keys', spoil: (m) => ({ ...m, args: { ...m.args, ...Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])) } }), field: 'args' },
  { name: 'args that are not an object', spoil: (m) => ({ ...m, args: ['pln-1'] }), field: 'args' },
  { name: 'args its schema refuses', spoil: (m) => ({ ...m, args: { ...m.args, qty: -2 } }), field: 'args' },
  { name: 'a NUL in the type', spoil: (m) => ({ ...m, type: 'pick\u0000' }), field: 'type' },
  { name: 'a type 10,000 characters long', spoil: (m) => ({ ...m, type: 'p'.repeat(10_000) }), field: 'type' },
  { name: 'a lone surrogate in the client time', spoil: (m) => ({ ...m, clientTime: '2026-11-25T10:00:00Z\uDC00' }), field: 'clientTime' },
];

/**
 * The Db of `server`, with `fault` raised by the first query matching `when` while armed: a
 * database that fails the way a real one does, around the real one.
 */
function faultyDb(db: Db, when: RegExp, fault: () => unknown): { db: Db; arm(times?: number): void } {
  let remaining = 0;
  const guard = (target: Queryable): Queryable => ({
    query: async <R>(sql: string, params?: unknown[]) => {
      if (remaining > 0 && when.test(sql)) {
        remaining--;
        throw fault();
      }
      return target.query<R>(sql, params);
    },
  });
  return {
    db: { ...db, ...guard(db), transaction: (fn) => db.transaction((tx) => fn(guard(tx))) },
    arm: (times = 1) => {
      remaining = times;
    },
  };
}

/** An error as the pg driver or PGlite raises it for `code` (a SQLSTATE or a Node code). */
function dbError(code: string | undefined, message = `database error ${code}`): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

/** One server and one signed-in operator shared by a block's cases; the ledger is checked at the end. */
function withSharedOperator(backend: Backend, take: (server: TestServer, device: Headers) => void): void {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
    take(server, await server.signIn('operator', '1111'));
  });
  afterAll(async () => {
    await expectLedgerMatchesBalances(server.db);
    await server.app.close();
  });
}

describe.each(BACKENDS)('poison mutations on %s', (backend) => {
  // The table-driven cases share one server and one device whose sequence runs on from case to
  // case; each case leaves the stock as it found it (a pick and its undo), so the next one can
  // assert it. Starting a server per case would cost seconds each.
  describe('one device pushing poison after poison', () => {
    let shared: TestServer;
    let device: Headers;
    withSharedOperator(backend, (server, signedIn) => {
      shared = server;
      device = signedIn;
    });

    it.each(POISONS)('stores $name as MALFORMED_MUTATION, applies the next scan, and answers a resend from the result', async ({ spoil, field }) => {
      const seq = await nextSeq(shared, device.deviceId);
      const poison = spoil(mutation(seq, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1')));
      const send = () => (typeof poison === 'string' ? pushRaw(shared.app, device, poison) : pushRaw(shared.app, device, [poison]));
      const first = await send();
      expect(first.status, JSON.stringify(first.body).slice(0, 300)).toBe(200);
      expect(first.body.results).toEqual([expect.objectContaining({ seq, status: 'rejected', code: 'MALFORMED_MUTATION', details: { field } })]);
      expect(first.body.results![0]!.message).toMatch(new RegExp(`processed: ${field}\\b.*Discard it`, 's'));

      // The queue is not blocked: the next scans are applied.
      const next = await push(shared.app, device, [cleanPick(seq + 1), cleanUnpick(seq + 2)]);
      expect(next.status).toBe(200);
      expect(next.body.results.map((r) => [r.seq, r.status])).toEqual([[seq + 1, 'applied'], [seq + 2, 'applied']]);

      // A resend after a lost response is the stored rejection again, not a 503 or a 409.
      const resend = await send();
      expect(resend.status).toBe(200);
      expect(resend.body.results).toEqual(first.body.results);

      const pulled = await pullAll(shared.app, device, '', 1000, seq - 1);
      expect(pulled.results.map((r) => [r.seq, r.status, r.code])).toEqual([[seq, 'rejected', 'MALFORMED_MUTATION'], [seq + 1, 'applied', null], [seq + 2, 'applied', null]]);
      expect(pulled.nextSeq).toBe(seq + 3);
      expect(await stockQty(shared, 'loc-a01', 'prd-a1')).toBe(5);
    });
  });

  describe('each case on a server of its own', () => {
    let server: TestServer;
    checkAndCloseAfterEach(() => server);

    it('drops a __proto__ key like any ignored field: the scan is decided by its rule and the queue moves on', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      const clean = mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'));
      const body = JSON.stringify({ mutations: [clean] }).replace('"args":{', '"args":{"__proto__":{"qty":999,"admin":true},');
      const { status, body: answer } = await pushRaw(server.app, device, body);
      expect(status).toBe(200);
      expect(answer.results![0]).toMatchObject({ seq: 1, status: 'applied' });
      const { rows } = await server.db.query<{ args: Record<string, unknown> }>('select args from mutation_results where device_id = $1', [device.deviceId]);
      expect(Object.keys(rows[0]!.args)).not.toContain('__proto__');
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
      expect((await push(server.app, device, [mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))])).body.results[0]).toMatchObject({ seq: 2, status: 'applied' });
    });

    it('keeps only storable content beside a poison result: no args, no version, a readable type', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      const nul = { ...mutation(1, 'pick\u0000', pickArgs('pln-1', 'loc-a01', 'prd-a1')), version: 2 ** 31 };
      const long = { ...mutation(2, 'p'.repeat(100) + '😀', { note: 'a\u0000b' }) };
      const { status, body } = await pushRaw(server.app, device, [nul, long]);
      expect(status).toBe(200);
      expect(body.results!.map((r) => r.type)).toEqual(['(unreadable)', 'p'.repeat(40)]);
      const { rows } = await server.db.query<{ seq: number; type: string; version: number | null; args: unknown }>(
        'select seq, type, version, args from mutation_results where device_id = $1 order by seq', [device.deviceId],
      );
      expect(rows.map((r) => [Number(r.seq), r.type, r.version, r.args])).toEqual([
        [1, '(unreadable)', null, { pickLineId: 'pln-1', locationId: 'loc-a01', productId: 'prd-a1', qty: 1 }],
        [2, 'p'.repeat(40), 1, null],
      ]);
    });

    it('stores an unknown type or version as UNSUPPORTED_VERSION, as before', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      const { status, body } = await push(server.app, device, [mutation(1, 'teleport', {}), mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'), 7), cleanPick(3)]);
      expect(status).toBe(200);
      expect(body.results.map((r) => [r.seq, r.code])).toEqual([[1, 'UNSUPPORTED_VERSION'], [2, 'UNSUPPORTED_VERSION'], [3, null]]);
    });

    it('refuses a batch whose identity is wrong with 400 naming the field, changing nothing', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      const cases: [unknown, RegExp][] = [
        [{ mutations: [{ ...cleanPick(1), id: 'not-a-uuid' }] }, /\/mutations\/0\/id/],
        [{ mutations: [{ ...cleanPick(1), id: '0f8fad5b-d9cb-469f-a165-70867728950e\u0000' }] }, /\/mutations\/0\/id/],
        [{ mutations: [{ ...cleanPick(1), seq: 0 }] }, /\/mutations\/0\/seq/],
        [{ mutations: [{ ...cleanPick(1), seq: 2 ** 53 }] }, /\/mutations\/0\/seq/],
        [{ mutations: [{ ...cleanPick(1), seq: 1.5 }] }, /\/mutations\/0\/seq/],
        [{ mutations: [cleanPick(1), cleanPick(3)] }, /\/mutations\/1\/seq/],
        [{ mutations: [] }, /\/mutations/],
      ];
      for (const [payload, field] of cases) {
        const { status, body } = await pushRaw(server.app, device, JSON.stringify(payload));
        expect(status, JSON.stringify(payload)).toBe(400);
        expect(body.message, JSON.stringify(payload)).toMatch(field);
      }
      expect(await nextSeq(server, device.deviceId)).toBe(1);
      expect(await stockQty(server, 'loc-a01', 'prd-a1')).toBe(5);
    });

    it('rejects an id reused by the same device under a new sequence as DUPLICATE_MUTATION_ID, applying it once', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      const pick = cleanPick(1);
      expect((await push(server.app, device, [pick])).body.results[0]).toMatchObject({ status: 'applied' });
      const reused = { ...cleanPick(2), id: pick.id };
      const { status, body } = await push(server.app, device, [reused, cleanPick(3)]);
      expect(status).toBe(200);
      expect(body.results.map((r) => [r.seq, r.mutationId, r.status, r.code])).toEqual([
        [2, pick.id, 'rejected', 'DUPLICATE_MUTATION_ID'],
        [3, expect.any(String), 'applied', null],
      ]);
      expect(await appliedPicks(server)).toBe(2);
      expect(await stockQty(server, 'loc-a01', 'prd-a1')).toBe(3);
      // Both results stay answerable: each sequence number's resend gets its own.
      expect((await push(server.app, device, [pick])).body.results[0]).toMatchObject({ seq: 1, status: 'applied' });
      expect((await push(server.app, device, [reused])).body.results[0]).toMatchObject({ seq: 2, code: 'DUPLICATE_MUTATION_ID' });
    });

    it('rejects an id another device used, telling nothing of that device, and pull hands it back', async () => {
      server = await startTestServer(backend);
      const owner = await server.signIn('operator', '1111');
      const other = await server.signIn('beta', '3333');
      const pick = cleanPick(1);
      expect((await push(server.app, owner, [pick])).body.results[0]).toMatchObject({ status: 'applied' });
      const stolen = { ...mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 2)), id: pick.id };
      const { status, body } = await push(server.app, other, [stolen, mutation(2, 'unpick', { pickLineId: 'pln-9', qty: 1 })]);
      expect(status).toBe(200);
      expect(body.results.map((r) => [r.seq, r.code])).toEqual([[1, 'DUPLICATE_MUTATION_ID'], [2, expect.any(String)]]);
      const told = JSON.stringify(body.results[0]);
      for (const secret of [owner.deviceId, 'operator', 'Olivia', 'prd-a1', 'ACME']) expect(told).not.toContain(secret);
      expect(await appliedPicks(server)).toBe(1);

      const theirs = await pullAll(server.app, other);
      expect(theirs.results.map((r) => [r.seq, r.mutationId, r.code])).toEqual([[1, pick.id, 'DUPLICATE_MUTATION_ID'], [2, expect.any(String), expect.any(String)]]);
      expect(theirs.nextSeq).toBe(3);
      const mine = await pullAll(server.app, owner);
      expect(mine.results).toEqual([expect.objectContaining({ seq: 1, mutationId: pick.id, status: 'applied' })]);
    });

    it('applies an id sent by two devices at once exactly once, rejecting the other as a duplicate', async () => {
      server = await startTestServer(backend);
      const devices = await Promise.all([server.signIn('operator', '1111'), server.signIn('supervisor', '2222')]);
      for (let round = 1; round <= 5; round++) {
        const id = randomUUID();
        const sent = await Promise.all(devices.map((device) => push(server.app, device, [{ ...cleanPick(round), id }])));
        expect(sent.map((s) => s.status)).toEqual([200, 200]);
        const outcomes = sent.map((s) => s.body.results[0]!.code ?? s.body.results[0]!.status).sort();
        // The line holds 3: the first three rounds apply, the rest are refused as the line is done.
        expect(outcomes).toEqual(round <= 3 ? ['DUPLICATE_MUTATION_ID', 'applied'] : ['DUPLICATE_MUTATION_ID', 'LINE_CLOSED']);
      }
      expect(await appliedPicks(server)).toBe(3);
      const { rows } = await server.db.query<{ n: number }>(
        "select count(*)::int as n from mutation_results where code is distinct from 'DUPLICATE_MUTATION_ID' group by mutation_id having count(*) > 1",
      );
      expect(rows).toEqual([]);
    });

    it('answers a resend of an upper-case id with its stored result, not 409', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      const upper = { ...cleanPick(1), id: randomUUID().toUpperCase() };
      const first = await push(server.app, device, [upper]);
      expect(first.status).toBe(200);
      expect(first.body.results[0]).toMatchObject({ mutationId: upper.id.toLowerCase(), status: 'applied' });
      // The response was lost: the device sends the same mutation again, as it stored it.
      const resend = await push(server.app, device, [upper, cleanPick(2)]);
      expect(resend.status, resend.body.message).toBe(200);
      expect(resend.body.results[0]).toEqual(first.body.results[0]);
      expect(resend.body.results[1]).toMatchObject({ seq: 2, status: 'applied' });
      expect((await push(server.app, device, [{ ...upper, id: upper.id.toLowerCase() }])).body.results[0]).toEqual(first.body.results[0]);
      expect(await appliedPicks(server)).toBe(2);
    });

    describe('pull query', () => {
      const BAD: [string, string][] = [
        ['cursor=%00', 'cursor'],
        ['cursor=1.2%00', 'cursor'],
        ['limit=%00', 'limit'],
        ['limit=0', 'limit'],
        ['limit=-1', 'limit'],
        ['limit=1e3', 'limit'],
        ['limit=0x10', 'limit'],
        ['limit=%2010', 'limit'],
        ['limit=10001', 'limit'],
        ['limit=99999999999999999999999', 'limit'],
        ['limit=1&limit=2', 'limit'],
        ['resultsAfter=%00', 'resultsAfter'],
        ['resultsAfter=-1', 'resultsAfter'],
        ['resultsAfter=1e300', 'resultsAfter'],
        ['resultsAfter=9007199254740993', 'resultsAfter'],
        ['resultsAfter=99999999999999999999', 'resultsAfter'],
        ['resultsAfter=1.5', 'resultsAfter'],
        ['resultsAfter=', 'resultsAfter'],
      ];

      it('answers NUL, signs, exponents, hex, spaces and values past the limits with 400 naming the field', async () => {
        server = await startTestServer(backend);
        const device = await server.signIn('operator', '1111');
        for (const [query, field] of BAD) {
          const response = await server.app.inject({ method: 'GET', url: `/api/sync/pull?${query}`, headers: { authorization: device.authorization } });
          expect(response.statusCode, query).toBe(400);
          expect(response.json(), query).toMatchObject({ error: 'BAD_REQUEST', message: expect.stringContaining(field) });
        }
      });

      it('still takes the largest values it allows', async () => {
        server = await startTestServer(backend);
        const device = await server.signIn('operator', '1111');
        const { status, body } = await pull(server.app, device, { limit: 10_000, resultsAfter: Number.MAX_SAFE_INTEGER });
        expect(status).toBe(200);
        expect(body.results).toEqual([]);
      });
    });
  });

  describe('database errors', () => {
    let shared: TestServer;
    let device: Headers;
    withSharedOperator(backend, (server, signedIn) => {
      shared = server;
      device = signedIn;
    });

    /**
     * Pushes `mutations` (made from the device's next sequence number) through the shared database
     * failing `times` times with `error` on the first query matching `when`.
     */
    async function pushThroughFault(when: RegExp, error: () => unknown, times: number, mutations: (seq: number) => MutationEnvelope[]) {
      const seq = await nextSeq(shared, device.deviceId);
      const faulty = faultyDb(shared.db, when, error);
      const app = await buildApp({ db: faulty.db, today: () => TODAY });
      try {
        faulty.arm(times);
        const sent = mutations(seq);
        return { seq, sent, answer: await push(app, device, sent), picks: await appliedPicks(shared) };
      } finally {
        await app.close();
      }
    }

    const TRANSIENT: [string, () => unknown][] = [
      ['57P01 admin shutdown', () => dbError('57P01', 'terminating connection due to administrator command')],
      ['08006 connection failure', () => dbError('08006')],
      ['53100 disk full', () => dbError('53100')],
      ['55P03 lock not available', () => dbError('55P03')],
      ['58030 I/O error', () => dbError('58030')],
      ['40001 serialization failure, every retry', () => dbError('40001')],
      ['42P01 undefined table (unclassified)', () => dbError('42P01')],
      ['ECONNRESET', () => dbError('ECONNRESET', 'read ECONNRESET')],
      ['"Connection terminated unexpectedly" with no code', () => dbError(undefined, 'Connection terminated unexpectedly')],
    ];

    it.each(TRANSIENT)('answers %s with 503 and advances nothing; the resend applies once', async (_name, error) => {
      const before = await appliedPicks(shared);
      const { seq, sent, answer } = await pushThroughFault(/insert into mutation_results/, error, 10, (seq) => [cleanPick(seq), cleanUnpick(seq + 1)]);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ error: 'UNAVAILABLE' });
      expect(await nextSeq(shared, device.deviceId)).toBe(seq);
      expect(await appliedPicks(shared)).toBe(before);
      expect(await stockQty(shared, 'loc-a01', 'prd-a1')).toBe(5);
      const resend = await push(shared.app, device, sent);
      expect(resend.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      expect(await appliedPicks(shared)).toBe(before + 1);
    });

    if (backend === 'postgres') {
      it('answers 503 when PostgreSQL really ends the connection mid-push, and the resend applies once', async () => {
        const before = await appliedPicks(shared);
        const seq = await nextSeq(shared, device.deviceId);
        let armed = true;
        // The push's own backend is terminated just before its result is stored: a real 57P01.
        const db: Db = {
          ...shared.db,
          transaction: (fn) => shared.db.transaction((tx) => fn({
            query: async <R>(sql: string, params?: unknown[]) => {
              if (armed && /insert into mutation_results/.test(sql)) {
                armed = false;
                await tx.query('select pg_terminate_backend(pg_backend_pid())');
              }
              return tx.query<R>(sql, params);
            },
          })),
        };
        const app = await buildApp({ db, today: () => TODAY });
        try {
          const sent = [cleanPick(seq), cleanUnpick(seq + 1)];
          const answer = await push(app, device, sent);
          expect(answer.status).toBe(503);
          expect(await nextSeq(shared, device.deviceId)).toBe(seq);
          expect(await appliedPicks(shared)).toBe(before);
          const resend = await push(app, device, sent);
          expect(resend.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
          expect(await appliedPicks(shared)).toBe(before + 1);
        } finally {
          await app.close();
        }
      });
    }

    it('retries a single serialization failure and applies the mutation', async () => {
      const before = await appliedPicks(shared);
      const { answer, picks } = await pushThroughFault(/insert into mutation_results/, () => dbError('40001'), 1, (seq) => [cleanPick(seq), cleanUnpick(seq + 1)]);
      expect(answer.status).toBe(200);
      expect(answer.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      expect(picks).toBe(before + 1);
    });

    const MUTATION_FAULTS: [string, () => unknown, string][] = [
      ['22P05 untranslatable character', () => dbError('22P05'), 'MALFORMED_MUTATION'],
      ['2202E array subscript error', () => dbError('2202E'), 'MALFORMED_MUTATION'],
      ['22003 numeric value out of range', () => dbError('22003'), 'MALFORMED_MUTATION'],
      ['54001 statement too complex', () => dbError('54001'), 'MALFORMED_MUTATION'],
      ['23503 foreign key violation', () => dbError('23503'), 'INTERNAL_ERROR'],
    ];

    it.each(MUTATION_FAULTS)('stores %s under a rule as the mutation’s rejection and applies the next', async (_name, error, code) => {
      const before = await appliedPicks(shared);
      const { seq, answer, picks } = await pushThroughFault(/from pick_lines/, error, 1, (seq) => [cleanPick(seq), cleanPick(seq + 1), cleanUnpick(seq + 2)]);
      expect(answer.status).toBe(200);
      expect(answer.body.results.map((r) => [r.seq, r.status, r.code])).toEqual([[seq, 'rejected', code], [seq + 1, 'applied', null], [seq + 2, 'applied', null]]);
      expect(await nextSeq(shared, device.deviceId)).toBe(seq + 3);
      expect(picks).toBe(before + 1);
      expect((await pullAll(shared.app, device, '', 1000, seq - 1)).results.map((r) => r.code)).toEqual([code, null, null]);
    });

    it('stores a reused id that also meets a database fault as DUPLICATE_MUTATION_ID, not a 503 on every resend', async () => {
      const seq = await nextSeq(shared, device.deviceId);
      const first = cleanPick(seq);
      expect((await push(shared.app, device, [first])).body.results[0]).toMatchObject({ status: 'applied' });
      const before = await appliedPicks(shared);
      const { answer } = await pushThroughFault(/from pick_lines/, () => dbError('22P05'), 1, (next) => [{ ...cleanPick(next), id: first.id }, cleanUnpick(next + 1)]);
      expect(answer.status).toBe(200);
      expect(answer.body.results.map((r) => [r.seq, r.code])).toEqual([[seq + 1, 'DUPLICATE_MUTATION_ID'], [seq + 2, null]]);
      expect(await appliedPicks(shared)).toBe(before);
    });

    it('stores a JavaScript fault in a rule as INTERNAL_ERROR and applies the next', async () => {
      // A reader query answering nothing usable makes the rule throw a TypeError.
      let broken = true;
      const db: Db = {
        ...shared.db,
        transaction: (fn) => shared.db.transaction((tx) => fn({
          query: async <R>(sql: string, params?: unknown[]) => {
            if (broken && /from pick_lines/.test(sql)) {
              broken = false;
              return { rows: null as unknown as R[] };
            }
            return tx.query<R>(sql, params);
          },
        })),
      };
      const logged: unknown[] = [];
      const app = await buildApp({ db, today: () => TODAY, logger: { level: 'error', stream: { write: (line: string) => logged.push(JSON.parse(line)) } } });
      try {
        const seq = await nextSeq(shared, device.deviceId);
        const { status, body } = await push(app, device, [cleanPick(seq), cleanPick(seq + 1), cleanUnpick(seq + 2)]);
        expect(status).toBe(200);
        expect(body.results.map((r) => [r.seq, r.code])).toEqual([[seq, 'INTERNAL_ERROR'], [seq + 1, null], [seq + 2, null]]);
        expect(body.results[0]!.message).toMatch(/Discard it/);
        expect(logged).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('INTERNAL_ERROR'), seq }));
      } finally {
        await app.close();
      }
    });
  });
});
