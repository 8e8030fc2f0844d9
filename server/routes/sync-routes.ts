// The sync protocol's two endpoints (docs/protocol.md): push mutations, pull changes and results.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/index';
import { ErrorBody } from '../../src/domain/api';
import { backfillTables, PullResponse, PushRequest, PushResponse, SequenceConflict, SYNC_BACKFILL_HEADER, SYNC_SCHEMA_HEADER, tablesUnknownTo } from '../../src/domain/sync-protocol';
import { pullHealthHook, pushHealthHooks } from '../sync/device-health';
import { isCursor, MAX_CURSOR_LENGTH, pullPageParts } from '../sync/pull';
import { DeviceHandedOverError, parseBatch, pushMutations, SequenceGapError, SequenceReusedError } from '../sync/push';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

/** Mutations that can bring stock into a pickable bin, and so fill a backordered order. */
const STOCK_ARRIVES: ReadonlySet<string> = new Set(['move', 'restock', 'unpick']);
/** Rows per pull page at most (a device's first load asks for this many: ~2.5 MiB of JSON). */
export const MAX_PULL_LIMIT = 10_000;

/** A whole number written in decimal digits only, within `max` (no signs, exponents, hex or spaces). */
const decimal = (name: string, max: number) =>
  z.string().regex(/^\d{1,16}$/, `${name} must be a whole number`).transform(Number).pipe(z.number().max(max, `${name} must be at most ${max}`));

export async function registerSync(app: FastifyInstance, db: Db, options: { today: () => string; timeZone: string }): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/sync/push', {
    schema: {
      summary: 'Apply this device’s pending mutations, in sequence order, each exactly once',
      tags: ['sync'],
      security: [{ bearer: [] }],
      body: PushRequest,
      response: {
        200: PushResponse,
        400: ErrorBody,
        401: ErrorBody,
        409: SequenceConflict,
        413: ErrorBody,
        503: ErrorBody,
      },
    },
    // A mutation's unstorable text is that mutation's stored rejection, not a refused batch.
    config: { ownBodyTextCheck: true },
    onRequest: requireUser(db),
    // A failed push is noted on its device for the supervisor, after the answer has gone.
    ...pushHealthHooks(db),
  }, async (request) => {
    const { actor } = authOf(request);
    const { mutations } = request.body;
    const batch = parseBatch(mutations);
    if (!batch.ok) throw new ApiError(400, { error: 'BAD_REQUEST', message: batch.message });
    try {
      const results = await pushMutations(db, actor, batch.items, { today: options.today, log: request.log, onDecided: (result) => app.metrics.mutationDecided(result) });
      // Stock that reached a pickable bin may fill an order waiting for it.
      if (results.some((r) => r.status === 'applied' && STOCK_ARRIVES.has(r.type))) app.allocation.request();
      // A shipment's notice to its store was written with it: send it now (server/fulfillment).
      if (results.some((r) => r.status === 'applied' && r.type === 'ship')) app.fulfillment.request();
      return { results };
    } catch (error) {
      if (error instanceof SequenceGapError) {
        throw new ApiError(409, { error: 'SEQUENCE_GAP', message: `Mutations are missing before sequence ${mutations[0]!.seq}; send from ${error.expectedSeq}.`, expectedSeq: error.expectedSeq });
      }
      if (error instanceof SequenceReusedError) {
        throw new ApiError(409, { error: 'SEQUENCE_REUSED', message: error.message, expectedSeq: error.expectedSeq });
      }
      if (error instanceof DeviceHandedOverError) {
        throw new ApiError(401, { error: 'UNAUTHORIZED', message: 'Your session has ended: this device was handed over. Sign in again.' });
      }
      throw error;
    }
  });

  api.get('/api/sync/pull', {
    schema: {
      summary: 'A first load’s snapshot of the user’s rows, or the rows changed since the cursor; and this device’s mutation results',
      tags: ['sync'],
      security: [{ bearer: [] }],
      querystring: z.object({
        cursor: z.string().max(MAX_CURSOR_LENGTH).default('').refine(isCursor, 'cursor must be shaped like one a previous pull returned'),
        limit: decimal('limit', MAX_PULL_LIMIT).pipe(z.number().min(1, 'limit must be at least 1')).default(1000),
        resultsAfter: decimal('resultsAfter', Number.MAX_SAFE_INTEGER).default(0),
      }),
      response: { 200: PullResponse, 400: ErrorBody, 401: ErrorBody },
    },
    onRequest: requireUser(db),
    // The unsent work the device reports with its pull, noted after the answer has gone.
    onResponse: pullHealthHook(db),
  }, async (request, reply) => {
    // The body is JSON text (sync/pull `pullPageParts`) in exactly the PullResponse shape the
    // schema documents, streamed part by part: a stream skips the response serializer, and the
    // parts are never joined into one multi-megabyte string.
    const parts = await pullPageParts(db, authOf(request).actor, request.query, {
      timeZone: options.timeZone,
      unknownTables: tablesUnknownTo(request.headers[SYNC_SCHEMA_HEADER]),
      backfill: backfillTables(request.headers[SYNC_BACKFILL_HEADER]),
    });
    return reply.type('application/json; charset=utf-8').send(Readable.from(parts, { objectMode: false }) as unknown as PullResponse);
  });
}
