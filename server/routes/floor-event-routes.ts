// GET /api/supervisor/events: the supervisors' live feed as Server-Sent Events (server/floor/),
// and the pass that keeps its table to 24 hours. Authenticated before anything, like every route.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../src/domain/api';
import { FLOOR_EVENTS_PATH, FLOOR_HEARTBEAT_MS } from '../../src/domain/floor-events';
import { BackgroundPasses } from '../background-passes';
import type { Db } from '../db/index';
import { pruneFloorEvents } from '../floor/floor-events';
import { FloorFeed, MAX_STREAMS } from '../floor/floor-feed';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

declare module 'fastify' {
  interface FastifyInstance {
    /** The supervisors' live streams on this server (server/floor/floor-feed). */
    floorFeed: FloorFeed;
  }
}

/** How often old events are pruned (by every server; a prune that finds nothing is one cheap query). */
const PRUNE_EVERY_MS = 10 * 60_000;

/** Seconds a client refused for too many streams waits before trying again. */
const FULL_RETRY_SECONDS = 5;

export interface FloorEventOptions {
  /** Streams open at once at most (MAX_STREAMS by default). */
  maxStreams?: number;
  /** Quiet time before a heartbeat comment (FLOOR_HEARTBEAT_MS by default). */
  heartbeatMs?: number;
}

export async function registerFloorEvents(app: FastifyInstance, db: Db, options: FloorEventOptions = {}): Promise<void> {
  const feed = new FloorFeed(db, { maxStreams: options.maxStreams ?? MAX_STREAMS, heartbeatMs: options.heartbeatMs ?? FLOOR_HEARTBEAT_MS, log: app.log });
  app.decorate('floorFeed', feed);
  // Open streams would hold the server's close forever: they end first, and their clients resume elsewhere.
  app.addHook('preClose', async () => feed.stop());
  const prune = new BackgroundPasses(async () => {
    try {
      await pruneFloorEvents(db);
    } catch (error) {
      app.log.warn({ err: error }, 'floor events: pruning failed; tried again at the next sweep');
    }
  }, { sweepMs: PRUNE_EVERY_MS });
  app.addHook('onReady', async () => prune.start());
  app.addHook('onClose', async () => prune.stop());

  app.withTypeProvider<ZodTypeProvider>().get(FLOOR_EVENTS_PATH, {
    schema: {
      summary: 'The floor live, as Server-Sent Events (text/event-stream) of the caller’s owners: mutations applied and rejected, order status changes, device sync health (supervisor, admin). Resume with the Last-Event-ID header or ?lastEventId=; an event `reset` means reload',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      querystring: z.object({ lastEventId: z.string().max(40).optional() }),
      response: { 200: z.string().describe('text/event-stream: `id: <row id>`, `event: <kind>`, `data: <JSON>` (src/domain/floor-events.ts)'), 401: ErrorBody, 403: ErrorBody, 503: ErrorBody },
    },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request, reply) => {
    const owners = authOf(request).actor.ownerIds;
    const header = request.headers['last-event-id'];
    const lastEventId = (typeof header === 'string' && header.trim() !== '' ? header.trim() : request.query.lastEventId) ?? null;
    const body = new PassThrough();
    const stream = await feed.open(owners, lastEventId, body);
    if (!stream) {
      reply.header('retry-after', String(FULL_RETRY_SECONDS));
      throw new ApiError(503, { error: 'UNAVAILABLE', message: 'This server has as many live streams open as it takes. Try again shortly.' });
    }
    // The response ends with the stream, so a connection the client left half-open does not hold the server's close.
    const close = () => {
      stream.close();
      body.end();
    };
    reply.raw.once('close', close);
    body.once('close', close);
    // Sent as it is written: no proxy buffering (X-Accel-Buffering), no transformation, no cache.
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-store, no-transform')
      .header('x-accel-buffering', 'no')
      // A stream skips the response serializer; the 200 schema documents it.
      .send(body as unknown as string);
  });
}
