// The role walk: every supervisor and admin route — read from the OpenAPI document (and the app's
// own route table, so a route hidden from the docs is walked too) — is called by nobody (401), by
// an operator (403), and by a supervisor and an admin of another owner, who get a refusal or an
// answer naming none of the first owner's data, and never a 2xx for acting on it. A route added
// later without its guard fails here; one whose path names a collection not below fails until
// the collection's real id is added to `idFor`.
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixtureWarehouse } from './fixture';
import { mutation, push } from './client';
import { startTestServer, type TestServer } from './harness';

/** How long a streaming answer (the live feed) is read before the walk moves on. */
const STREAM_READ_MS = 700;

/** A summary's parenthesis that names who may call it: "(supervisor, admin)", "(API key …, or admin)". */
const ROLE_NOTE = /\([^()]*\b(supervisors?|admins?)\b[^()]*\)/i;

interface Operation {
  method: string;
  path: string;
  tags: string[];
  summary: string;
}

/** Owner A's data with names no other owner's data has: the seed below and the fixture's. */
const ACME = {
  ownerName: 'Acme Coffee',
  texts: ['Acme Coffee', 'ACME-ESP', 'ACME-GRN', 'Espresso beans', 'Ann Archer', 'Bo Baker', 'ASN-1001', 'Roastery', 'Acme mailer box', 'PL-000001', 'PL-000002', 'Acme Walk Shop', 'acme-walker', 'Alma Acme', 'WAVE-ACME-1', '5234567890123456789', '5234567890123456790', 'prd-a1', 'rcp-a'],
};

function seed() {
  const data = fixtureWarehouse();
  data.users.push(
    { username: 'acme-walker', displayName: 'Alma Acme', pin: '4444', role: 'operator', ownerIds: ['own-a'] },
    { username: 'beta-sup', displayName: 'Bea Supervisor', pin: '5555', role: 'supervisor', ownerIds: ['own-b'] },
    { username: 'beta-admin', displayName: 'Bo Admin', pin: '6666', role: 'admin', ownerIds: ['own-b'] },
  );
  return data;
}

interface Walk {
  server: TestServer;
  base: string;
  /** Owner A's ids by the collection a path names them under, and the param's name where it matters. */
  idFor(collection: string, param: string): string | undefined;
  /** Values owner A's data goes by in a body or query, by field name. */
  acmeFields: Record<string, unknown>;
}

async function prepare(): Promise<Walk> {
  const server = await startTestServer('pglite', seed());
  const admin = await server.signIn('admin', '9999');
  const walker = await server.signIn('acme-walker', '4444', `dev-acme-walk-${randomUUID()}`);
  // A rejected scan and an applied one of owner A, for the overview, exceptions and pickers.
  await push(server.app, walker, [
    mutation(1, 'receive', { receiptId: 'rcp-a', productId: 'prd-a1', qty: 2 }),
    mutation(2, 'move', { productId: 'prd-a1', fromLocationId: 'loc-dock', toLocationId: 'loc-a01', qty: 50, suggestedLocationId: 'loc-a01' }),
  ]);
  const created = await server.app.inject({ method: 'POST', url: '/api/admin/integrations', headers: admin, payload: { owner: 'ACME', name: 'Acme Walk Shop', type: 'api' } });
  expect(created.statusCode, created.body).toBe(201);
  const integrationId = created.json<{ id?: string; integration?: { id: string } }>();
  const integration = integrationId.id ?? integrationId.integration!.id;
  await server.db.query(`insert into waves (id, owner_id, number, status) values ('wave-acme', 'own-a', 'WAVE-ACME-1', 'held')`);
  await server.db.query(`update pick_lists set wave_id = 'wave-acme' where id = 'pl-1'`);
  const notice = await server.db.query<{ id: string }>(
    `insert into fulfillment_notices (owner_id, order_id, integration_id, idempotency_key, payload) values ('own-a', '5234567890123456789', $1, 'shipment:walk', '{}'::jsonb) returning id::text`,
    [integration],
  );
  const printer = await server.app.inject({ method: 'PUT', url: '/api/admin/printers/ZT-WALK', headers: admin, payload: { name: 'Walk printer', host: '127.0.0.1' } });
  expect(printer.statusCode, printer.body).toBeLessThan(300);
  const { rows: users } = await server.db.query<{ id: string }>(`select id from users where username = 'acme-walker'`);
  const walkerId = users[0]!.id;

  const ids: Record<string, string | ((param: string) => string)> = {
    orders: '5234567890123456789',
    'pick-lists': 'pl-1',
    waves: 'wave-acme',
    users: (param) => (param === 'username' ? 'acme-walker' : walkerId),
    owners: 'own-a',
    'carton-types': 'box-a',
    devices: walker.deviceId,
    integrations: integration,
    'fulfillment-notices': notice.rows[0]!.id,
    // Printers are the site's, no owner's: any admin of every owner may change them.
    printers: 'ZT-WALK',
  };
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.app.server.address() as AddressInfo;
  return {
    server,
    base: `http://127.0.0.1:${port}`,
    idFor: (collection, param) => {
      const id = ids[collection];
      return typeof id === 'function' ? id(param) : id;
    },
    acmeFields: {
      owner: 'ACME', ownerId: 'own-a', ownerIds: ['own-a'], orderId: '5234567890123456789', pickListId: 'pl-1', waveId: 'wave-acme',
      userId: walkerId, assigneeId: walkerId, assignee: walkerId, deviceId: walker.deviceId, integrationId: integration, productId: 'prd-a1',
    },
  };
}

/** The supervisor and admin routes, from the OpenAPI document and from the app's route table. */
function walkedRoutes(server: TestServer): Operation[] {
  const doc = server.app.swagger() as { paths: Record<string, Record<string, { tags?: string[]; summary?: string }>> };
  const found = new Map<string, Operation>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      found.set(`${method.toUpperCase()} ${path}`, { method: method.toUpperCase(), path, tags: operation.tags ?? [], summary: operation.summary ?? '' });
    }
  }
  // Hidden from the docs is not hidden from callers.
  for (const route of server.app.routeTable()) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const key = `${route.method} ${path}`;
    if (route.method !== 'HEAD' && !found.has(key)) found.set(key, { method: route.method, path, tags: [], summary: '' });
  }
  return [...found.values()].filter((op) =>
    /^\/api\/(supervisor|admin)\//.test(op.path) || op.tags.some((tag) => tag === 'supervisor' || tag === 'admin') || ROLE_NOTE.test(op.summary));
}

/** A small value the JSON Schema accepts, with owner A's ids wherever a field names them. */
function example(schema: Record<string, unknown> | undefined, acme: Record<string, unknown>, name = ''): unknown {
  if (name in acme) return acme[name];
  if (!schema) return undefined;
  const variants = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined;
  if (variants) return example(variants.find((v) => v.type !== 'null') ?? variants[0], acme, name);
  if ('const' in schema) return schema.const;
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((schema.required ?? []) as string[]);
      return Object.fromEntries(Object.entries(properties).filter(([key]) => required.has(key) || key in acme).map(([key, value]) => [key, example(value, acme, key)]));
    }
    case 'array':
      return Array.from({ length: (schema.minItems as number) ?? 0 }, () => example(schema.items as Record<string, unknown>, acme));
    case 'integer':
    case 'number':
      return Math.max((schema.minimum as number) ?? 1, 1);
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'uuid') return randomUUID();
      if (/pin/i.test(name)) return '4321';
      return `walk${'x'.repeat(Math.max(0, ((schema.minLength as number) ?? 0) - 4))}`.slice(0, (schema.maxLength as number) ?? 100);
    default:
      return null;
  }
}

function jsonSchema(schema: unknown): Record<string, unknown> | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

interface Request {
  url: string;
  init: { method: string; body?: string; headers: Record<string, string> };
  /** The request names owner A's data (a path id, a body field). */
  namesAcme: boolean;
  /** What the caller sent, which an answer may echo. */
  sent: string;
}

/**
 * The call to make for `op`. `askForAcme`: optional query fields name owner A (owner=ACME), to be
 * refused or filtered; without it, a listing answers with the caller's own owners by default.
 */
function requestFor(walk: Walk, op: Operation, askForAcme: boolean): Request {
  let namesAcme = false;
  const path = op.path.replace(/\{(\w+)\}/g, (_match, param: string, offset: number) => {
    const collection = op.path.slice(0, offset).split('/').filter(Boolean).at(-1)!;
    const id = walk.idFor(collection, param);
    if (id === undefined) throw new Error(`${op.method} ${op.path}: no real id for {${param}} under "${collection}": add one to idFor in this test`);
    if (collection !== 'printers') namesAcme = true;
    return encodeURIComponent(id);
  });
  const route = walk.server.app.routeTable().find((r) => r.method === op.method && r.url.replace(/:(\w+)/g, '{$1}') === op.path);
  const schema = route?.schema as { body?: unknown; querystring?: unknown; consumes?: string[] } | undefined;
  const bins = { from: 'A-01-1', to: 'B-01-1' };
  const query = example(jsonSchema(schema?.querystring), askForAcme ? { ...bins, owner: 'ACME', ownerId: 'own-a' } : bins) as Record<string, unknown> | undefined;
  const search = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}` : '';
  if (search.includes('ACME')) namesAcme = true;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    if (schema?.consumes?.includes('text/csv')) {
      headers['content-type'] = 'text/csv';
      body = 'sku,name\nWALK-1,Walk\n';
    } else {
      const value = example(jsonSchema(schema?.body), walk.acmeFields) ?? {};
      body = JSON.stringify(value);
      headers['content-type'] = 'application/json';
      if (Object.values(walk.acmeFields).some((acme) => body!.includes(JSON.stringify(acme)))) namesAcme = true;
    }
  }
  return { url: `${walk.base}${path}${search}`, init: { method: op.method, body, headers }, namesAcme, sent: `${path}${search}${body ?? ''}` };
}

/** Calls and reads the answer; a stream (the live feed) is read for STREAM_READ_MS and closed. */
async function call(request: Request, authorization?: string): Promise<{ status: number; body: string }> {
  const controller = new AbortController();
  const headers = { ...request.init.headers, ...(authorization ? { authorization } : {}) };
  const response = await fetch(request.url, { ...request.init, headers, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let body = '';
  const deadline = Date.now() + STREAM_READ_MS;
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left)))]);
      clearTimeout(timer);
      if (chunk === null || chunk.done) break;
      body += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    controller.abort();
  }
  return { status: response.status, body };
}

describe('every supervisor and admin route refuses the wrong callers', () => {
  it('walks the OpenAPI route list: nobody 401, operators 403, other owners refused or shown none of owner A', async () => {
    const walk = await prepare();
    const { server } = walk;
    try {
      const operations = walkedRoutes(server);
      // The walk reaches both kinds of route and those only the docs' notes mark (exports, /metrics).
      expect(operations.map((op) => op.path)).toEqual(expect.arrayContaining(['/api/supervisor/overview', '/api/admin/users', '/api/export/stock.csv', '/metrics', '/api/admin/labels/lpns']));
      const operator = (await server.signIn('operator', '1111')).authorization;
      const others = {
        'beta-sup': (await server.signIn('beta-sup', '5555')).authorization,
        'beta-admin': (await server.signIn('beta-admin', '6666')).authorization,
      };

      // The control: a supervisor of every owner is shown owner A's names on the listings, so their absence below means something.
      const everyOwner = (await server.signIn('supervisor', '2222')).authorization;
      const shownToEveryOwner = new Set<string>();
      const problems: string[] = [];
      for (const op of operations) {
        const request = requestFor(walk, op, false);
        const name = `${op.method} ${op.path}`;
        const anonymous = await call(request);
        if (anonymous.status !== 401) problems.push(`${name}: nobody got ${anonymous.status}, not 401`);
        const asOperator = await call(request, operator);
        if (asOperator.status !== 403) problems.push(`${name}: an operator got ${asOperator.status}, not 403`);
        if (op.method === 'GET' && !op.path.includes('{')) {
          const answer = await call(request, everyOwner);
          for (const text of ACME.texts) if (answer.body.includes(text)) shownToEveryOwner.add(`${op.path} ${text}`);
        }
        const variants = [request, requestFor(walk, op, true)].filter((variant, i, all) => i === 0 || variant.url !== all[0]!.url);
        const callers = Object.entries(others).flatMap(([who, authorization]) =>
          variants.map((variant, i) => ({ who: i === 0 ? who : `${who} (owner=ACME)`, authorization, request: variant })));
        for (const { who, authorization, request: sent } of callers) {
          const answer = await call(sent, authorization);
          if (answer.status >= 500) problems.push(`${name}: ${who} got ${answer.status}`);
          if (answer.status === 403) continue;
          if (answer.status < 300 && sent.namesAcme && op.method !== 'GET') problems.push(`${name}: ${who} acted on owner A's data (${answer.status})`);
          if (answer.status < 300 && sent.namesAcme && op.method === 'GET' && /\{\w+\}/.test(op.path)) problems.push(`${name}: ${who} read owner A's record (${answer.status})`);
          const leaked = ACME.texts.filter((text) => answer.body.includes(text) && !sent.sent.includes(text));
          if (leaked.length > 0) problems.push(`${name}: ${who} (${answer.status}) was shown owner A's ${leaked.join(', ')}`);
        }
      }
      expect(problems).toEqual([]);
      expect(operations.length).toBeGreaterThan(40);
      expect([...shownToEveryOwner]).toEqual(expect.arrayContaining(['/api/supervisor/overview PL-000001', '/api/orders Ann Archer']));
    } finally {
      await server.app.close();
    }
  }, 120_000);
});
