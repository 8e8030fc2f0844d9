// Orders over REST: an integration's API key (for its own owner) or an admin posts, lists, reads
// and cancels orders; supervisors hold and release orders and waves. Every query is scoped by the
// caller's owners, and another owner's order is "not found".
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OrderStatus } from '../../src/domain';
import { OrderImportAnswer } from '../../src/domain/admin';
import { OrderIntake, OrderView } from '../../src/domain/order-intake';
import { Id, text } from '../../src/domain/text';
import { importCsv, InvalidCsvAnswer } from '../csv/import-csv';
import { acceptCsvBodies, csvBody, MAX_CSV_BYTES, MAX_CSV_ROWS } from '../csv/read-csv';
import { transactionWithRetry, type Db, type Queryable } from '../db/index';
import { orderImport, type OrderImportCounts } from '../orders/csv-orders';
import type { AllocationRunner } from '../orders/allocation-runner';
import { cancelOrder, holdOrder, IntakeRefused, releaseOrder, takeInOrder, type IntakeResult } from '../orders/intake';
import { lockOrder, orderLineRecord, orderRecord, type OrderRecord } from '../orders/store';
import { holdWave, lockWave, releaseWave, waveView } from '../orders/waves';
import { ApiError } from './errors';
import { authOf, callerScope, requireCaller, requireUser, type CallerScope } from './guard';
import { OwnerParam } from './owner-param';

const Failure = z.object({ error: z.string(), message: z.string() });

const IntakeAnswer = z.object({
  outcome: z.enum(['created', 'updated', 'unchanged', 'stale', 'cancelled', 'exception']),
  order: OrderView,
});

/** An order posted over REST: the intake, and the owner it is for where the caller has several. */
const OrderRequest = OrderIntake.extend({ owner: OwnerParam.optional().describe('The owner’s code or id; needed by an admin of several owners, implied by an API key') });

const WaveView = z.object({
  id: z.string(),
  ownerId: z.string(),
  number: z.string(),
  status: z.enum(['released', 'held']),
  createdAt: z.string(),
  lists: z.array(z.object({ id: z.string(), number: z.string(), status: z.string() })),
});

/** The `Idempotency-Key` header: a client's name for one request, kept per owner. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const notFound = () => new ApiError(404, { error: 'NOT_FOUND', message: 'Order not found.' });

/** The owner an order is posted for: the API key's own, or the one an admin names (required if they have several). */
async function postingOwner(db: Queryable, scope: CallerScope, named: string | undefined): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `select id from owners where ($1::text is null or id = $1 or upper(code) = upper($1)) and ($2::text[] is null or id = any($2::text[])) order by id limit 2`,
    [named ?? null, scope.ownerIds],
  );
  if (rows.length === 0) throw new ApiError(404, { error: 'NOT_FOUND', message: `Owner ${named ?? ''} not found. Use one of your owners’ codes.` });
  if (rows.length > 1) throw new ApiError(400, { error: 'BAD_REQUEST', message: 'owner: you work for several owners; name the one this order is for (its code).' });
  return rows[0]!.id;
}

function refusedAs(error: unknown): never {
  if (error instanceof IntakeRefused) throw new ApiError(409, { error: error.code, message: error.message });
  throw error;
}

/** Orders as the API shows them, with their lines, lists and exceptions read in three queries for the lot. */
export async function viewOrders(db: Queryable, orders: readonly OrderRecord[]): Promise<OrderView[]> {
  if (orders.length === 0) return [];
  const ids = orders.map((order) => order.id);
  const lines = await db.query('select * from order_lines where order_id = any($1::text[]) order by line_no, id', [ids]);
  const lists = await db.query<{ order_id: string; id: string; number: string; status: string; wave_id: string | null }>(
    `select distinct p.order_id, l.id, l.number, l.status, l.wave_id from pick_lists l join pick_lines p on p.pick_list_id = l.id
     where p.order_id = any($1::text[]) order by l.number`,
    [ids],
  );
  const exceptions = await db.query<{ order_id: string; id: string; kind: string; details: unknown; created_at: Date | string; resolved_at: Date | string | null }>(
    'select order_id, id::text, kind, details, created_at, resolved_at from order_exceptions where order_id = any($1::text[]) order by id',
    [ids],
  );
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return orders.map((order) => {
    const { contentHash: _hash, sourceUpdatedAt: _sent, ...rest } = order;
    return {
      ...rest,
      lines: lines.rows.filter((line) => line.order_id === order.id).map(orderLineRecord).map(({ id: _id, barcode: _barcode, ...line }) => line),
      pickLists: lists.rows.filter((l) => l.order_id === order.id).map((l) => ({ id: l.id, number: l.number, status: l.status, waveId: l.wave_id })),
      exceptions: exceptions.rows.filter((e) => e.order_id === order.id).map((e) => ({ id: e.id, kind: e.kind, details: e.details, createdAt: iso(e.created_at)!, resolvedAt: iso(e.resolved_at) })),
    };
  });
}

export async function viewOrder(db: Queryable, order: OrderRecord): Promise<OrderView> {
  return (await viewOrders(db, [order]))[0]!;
}

export async function registerOrderRoutes(app: FastifyInstance, db: Db, runner: AllocationRunner): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const callers = { onRequest: requireCaller(db, { roles: ['admin'] }), config: { apiKey: true } } as const;

  /** Runs `fn` once per Idempotency-Key and owner: a retry with the same body gets the first answer. */
  async function once(request: FastifyRequest, ownerId: string, fn: (tx: Queryable) => Promise<{ status: number; body: unknown }>): Promise<{ status: number; body: unknown; replayed?: true }> {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return transactionWithRetry(db, fn);
    const key = typeof header === 'string' ? header.trim() : '';
    if (!IDEMPOTENCY_KEY.test(key)) throw new ApiError(400, { error: 'BAD_REQUEST', message: 'Idempotency-Key must be 1 to 200 visible ASCII characters.' });
    const hash = createHash('sha256').update(JSON.stringify(request.body)).digest('base64url');
    return transactionWithRetry(db, async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`idempotency:${ownerId}:${key}`]);
      const { rows } = await tx.query<{ request_hash: string; status_code: number; response: unknown }>(
        'select request_hash, status_code, response from idempotency_keys where owner_id = $1 and key = $2',
        [ownerId, key],
      );
      const seen = rows[0];
      if (seen) {
        if (seen.request_hash !== hash) {
          throw new ApiError(422, { error: 'IDEMPOTENCY_KEY_REUSED', message: 'This Idempotency-Key was used for a different request. Use a new key for a new request.' });
        }
        return { status: seen.status_code, body: seen.response, replayed: true };
      }
      const answer = await fn(tx);
      await tx.query('insert into idempotency_keys (owner_id, key, request_hash, status_code, response) values ($1, $2, $3, $4, $5::jsonb)', [ownerId, key, hash, answer.status, JSON.stringify(answer.body)]);
      return answer;
    });
  }

  api.post('/api/orders', {
    schema: {
      summary: 'Take in an order (API key for its owner, or admin). Idempotent on the order number per owner, and on an Idempotency-Key header',
      tags: ['orders'],
      security: [{ bearer: [] }],
      body: OrderRequest,
      response: { 200: IntakeAnswer, 201: IntakeAnswer, 400: Failure, 401: Failure, 403: Failure, 404: Failure, 409: Failure, 422: Failure },
    },
    ...callers,
  }, async (request, reply) => {
    const scope = callerScope(request);
    const { owner, ...order } = request.body;
    const ownerId = await postingOwner(db, scope, owner);
    const answer = await once(request, ownerId, async (tx) => {
      const result = await takeInOrder(tx, { ownerId, source: 'api', integrationId: scope.integrationId }, order).catch(refusedAs);
      return { status: result.outcome === 'created' ? 201 : 200, body: await answerOf(tx, result) };
    });
    runner.request(ownerId);
    app.metrics.orderTakenIn('api', answer.replayed ? 'replayed' : (answer.body as z.infer<typeof IntakeAnswer>).outcome);
    return reply.code(answer.status === 201 ? 201 : 200).send(answer.body as z.infer<typeof IntakeAnswer>);
  });

  await app.register(async (scope) => {
    // Its own scope: the raw-stream CSV body parser applies to this route only.
    acceptCsvBodies(scope);
    scope.withTypeProvider<ZodTypeProvider>().post('/api/orders/import', {
      schema: {
        summary: 'Import orders from CSV (API key for its owner, or admin): one row per order line, all or nothing',
        description:
          'Columns: order_number, order_date (YYYY-MM-DD, or with a time), ship_by (YYYY-MM-DD, optional), shipping_method, customer_name, '
          + 'ship_to_name, ship_to_company, ship_to_address1, ship_to_address2, ship_to_city, ship_to_province, ship_to_postal_code, '
          + 'ship_to_country (two letters), ship_to_phone, sku, quantity. An order’s lines may be anywhere in the file and repeat its details. '
          + `Uploading the same file again creates nothing twice. At most ${MAX_CSV_BYTES / 1024 / 1024} MiB and ${MAX_CSV_ROWS.toLocaleString('en')} rows; separated by , ; or tab.`,
        tags: ['orders'],
        security: [{ bearer: [] }],
        consumes: ['text/csv'],
        querystring: z.object({ owner: OwnerParam.optional() }),
        response: {
          200: OrderImportAnswer,
          400: Failure, 401: Failure, 403: Failure, 404: Failure, 413: Failure, 415: Failure, 422: InvalidCsvAnswer,
        },
      },
      ...callers,
      config: { apiKey: true, ownBodyTextCheck: true },
    }, async (request) => {
      const ownerId = await postingOwner(db, callerScope(request), request.query.owner);
      const counts: OrderImportCounts = { rows: 0, orders: { created: 0, updated: 0, unchanged: 0 } };
      await importCsv(db, { stream: csvBody(request.body), ...orderImport(ownerId, counts) });
      runner.request(ownerId);
      for (const outcome of ['created', 'updated', 'unchanged'] as const) app.metrics.orderTakenIn('csv', outcome, counts.orders[outcome]);
      return counts;
    });
  });

  api.get('/api/orders', {
    schema: {
      summary: 'List orders, newest first (API key: its owner; admin and supervisor: theirs)',
      tags: ['orders'],
      security: [{ bearer: [] }],
      querystring: z.object({
        status: OrderStatus.optional(),
        owner: OwnerParam.optional(),
        number: text().trim().min(1).max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        /** The `next` of the previous page. */
        after: text().max(200)
          .refine((value) => /^\d{4}-\d{2}-\d{2}T[^|]*\|/.test(value) && !Number.isNaN(Date.parse(value.slice(0, value.indexOf('|')))), 'the next of the previous page (<time>|<id>)')
          .optional(),
      }),
      response: { 200: z.object({ orders: z.array(OrderView), next: z.string().nullable() }), 400: Failure, 401: Failure, 403: Failure, 404: Failure },
    },
    onRequest: requireCaller(db, { roles: ['admin', 'supervisor'] }),
    config: { apiKey: true },
  }, async (request) => {
    const scope = callerScope(request);
    const { status, owner, number, limit, after } = request.query;
    const ownerId = owner ? await postingOwner(db, scope, owner) : null;
    const [afterAt, afterId] = after ? after.split('|') : [null, null];
    const { rows } = await db.query(
      `select * from orders where ($1::text[] is null or owner_id = any($1::text[])) and ($2::text is null or owner_id = $2)
         and ($3::text is null or status = $3) and ($4::text is null or number = $4)
         and ($5::timestamptz is null or (received_at, id) < ($5::timestamptz, $6::text))
       order by received_at desc, id desc limit $7`,
      [scope.ownerIds, ownerId, status ?? null, number ?? null, afterAt || null, afterId ?? '', limit + 1],
    );
    const page = rows.slice(0, limit).map(orderRecord);
    const orders = await viewOrders(db, page);
    const last = page.at(-1);
    return { orders, next: rows.length > limit && last ? `${last.receivedAt}|${last.id}` : null };
  });

  api.get('/api/orders/:id', {
    schema: {
      summary: 'One order with its lines, hold reasons, backorder, pick lists and exceptions',
      tags: ['orders'],
      security: [{ bearer: [] }],
      params: z.object({ id: Id }),
      response: { 200: OrderView, 401: Failure, 403: Failure, 404: Failure },
    },
    onRequest: requireCaller(db, { roles: ['admin', 'supervisor'] }),
    config: { apiKey: true },
  }, async (request) => {
    const { rows } = await db.query('select * from orders where id = $1 and ($2::text[] is null or owner_id = any($2::text[]))', [request.params.id, callerScope(request).ownerIds]);
    if (!rows[0]) throw notFound();
    return viewOrder(db, orderRecord(rows[0]));
  });

  api.post('/api/orders/:id/cancel', {
    schema: {
      summary: 'Cancel an order: it leaves its pick lists; units already picked become an exception for a supervisor',
      tags: ['orders'],
      security: [{ bearer: [] }],
      params: z.object({ id: Id }),
      response: { 200: IntakeAnswer, 401: Failure, 403: Failure, 404: Failure, 409: Failure },
    },
    ...callers,
  }, async (request) => {
    const scope = callerScope(request);
    return transactionWithRetry(db, async (tx) => {
      const order = await lockOrder(tx, request.params.id, scope.ownerIds);
      if (!order) throw notFound();
      const result = await cancelOrder(tx, order).catch(refusedAs);
      return answerOf(tx, result);
    });
  });

  for (const action of ['hold', 'release'] as const) {
    api.post(`/api/supervisor/orders/:id/${action}`, {
      schema: {
        summary: action === 'hold'
          ? 'Hold an order (supervisor, admin): it leaves its pick lists until released'
          : 'Release a held order: its lines are matched again and it is allocated; one closed short (SHORT_PACKED) ships what is packed',
        tags: ['supervisor'],
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        response: { 200: OrderView, 401: Failure, 403: Failure, 404: Failure, 409: Failure },
      },
      onRequest: requireUser(db, ['supervisor', 'admin']),
    }, async (request) => {
      const scope = callerScope(request);
      const view = await transactionWithRetry(db, async (tx) => {
        const order = await lockOrder(tx, request.params.id, scope.ownerIds);
        if (!order) throw notFound();
        const after = await (action === 'hold' ? holdOrder(tx, order) : releaseOrder(tx, order, authOf(request).actor.userId)).catch(refusedAs);
        return viewOrder(tx, after);
      });
      if (action === 'release') runner.request(view.ownerId);
      return view;
    });
  }

  api.get('/api/supervisor/order-exceptions', {
    schema: {
      summary: 'Orders cancelled or changed after units were picked: what a supervisor must bring back or settle (supervisor, admin)',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      querystring: z.object({ owner: OwnerParam.optional(), state: z.enum(['open', 'resolved', 'all']).default('open'), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: {
        200: z.object({
          exceptions: z.array(z.object({ id: z.string(), orderId: z.string(), orderNumber: z.string(), ownerId: z.string(), kind: z.string(), details: z.unknown(), createdAt: z.string(), resolvedAt: z.string().nullable() })),
        }),
        401: Failure, 403: Failure, 404: Failure,
      },
    },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request) => {
    const scope = callerScope(request);
    const { owner, state, limit } = request.query;
    const ownerId = owner ? await postingOwner(db, scope, owner) : null;
    const { rows } = await db.query<{ id: string; order_id: string; number: string; owner_id: string; kind: string; details: unknown; created_at: Date | string; resolved_at: Date | string | null }>(
      `select e.id::text, e.order_id, o.number, e.owner_id, e.kind, e.details, e.created_at, e.resolved_at
       from order_exceptions e join orders o on o.id = e.order_id
       where ($1::text[] is null or e.owner_id = any($1::text[])) and ($2::text is null or e.owner_id = $2)
         and ($3 = 'all' or ($3 = 'open') = (e.resolved_at is null))
       order by e.id desc limit $4`,
      [scope.ownerIds, ownerId, state, limit],
    );
    const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
    return {
      exceptions: rows.map((e) => ({ id: e.id, orderId: e.order_id, orderNumber: e.number, ownerId: e.owner_id, kind: e.kind, details: e.details, createdAt: iso(e.created_at)!, resolvedAt: iso(e.resolved_at) })),
    };
  });

  api.get('/api/supervisor/waves', {
    schema: {
      summary: 'Waves of pick lists, newest first (supervisor, admin)',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      querystring: z.object({ owner: OwnerParam.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ waves: z.array(WaveView) }), 401: Failure, 403: Failure, 404: Failure },
    },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request) => {
    const scope = callerScope(request);
    const ownerId = request.query.owner ? await postingOwner(db, scope, request.query.owner) : null;
    const { rows } = await db.query<{ id: string }>(
      `select id from waves where ($1::text[] is null or owner_id = any($1::text[])) and ($2::text is null or owner_id = $2) order by created_at desc, id desc limit $3`,
      [scope.ownerIds, ownerId, request.query.limit],
    );
    const waves = [];
    for (const { id } of rows) waves.push(await waveView(db, id));
    return { waves };
  });

  for (const action of ['hold', 'release'] as const) {
    api.post(`/api/supervisor/waves/:id/${action}`, {
      schema: {
        summary: action === 'hold' ? 'Hold a wave: its lists not yet started leave every device, their stock still promised' : 'Release a held wave: its lists reach the devices again',
        tags: ['supervisor'],
        security: [{ bearer: [] }],
        params: z.object({ id: Id }),
        response: { 200: WaveView, 401: Failure, 403: Failure, 404: Failure },
      },
      onRequest: requireUser(db, ['supervisor', 'admin']),
    }, async (request) => {
      const scope = callerScope(request);
      return transactionWithRetry(db, async (tx) => {
        const wave = await lockWave(tx, request.params.id, scope.ownerIds);
        if (!wave) throw new ApiError(404, { error: 'NOT_FOUND', message: 'Wave not found.' });
        if (action === 'hold') await holdWave(tx, wave.id);
        else await releaseWave(tx, wave.id);
        return waveView(tx, wave.id);
      });
    });
  }
}

async function answerOf(tx: Queryable, result: IntakeResult): Promise<z.infer<typeof IntakeAnswer>> {
  const { rows } = await tx.query('select * from orders where id = $1', [result.orderId]);
  return { outcome: result.outcome, order: await viewOrder(tx, orderRecord(rows[0]!)) };
}
