// The server's Prometheus metrics (prom-client), one registry per app so the many apps a test
// file builds never meet in prom-client's global one. Served at GET /metrics to an admin, or to a
// scraper presenting METRICS_TOKEN; never to the public (labels name no owner, user or device).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MUTATION_TYPES } from '../src/domain';
import { readPendingReport } from '../src/domain/device-health';
import type { IntakeOutcome } from './orders/intake';
import type { Db, Queryable } from './db/index';
import { bearerToken, requireUser } from './routes/guard';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's metrics (server/metrics.ts): count and observe through its named members. */
    metrics: Metrics;
  }
}

/** Where Prometheus scrapes; outside /api, so the app-wide session check leaves it to its own guard. */
export const METRICS_PATH = '/metrics';

/** The push route, whose answers are counted and timed. */
const PUSH_ROUTE = '/api/sync/push';
/** The pull route, whose pages are counted. */
const PULL_ROUTE = '/api/sync/pull';

/** Push latency buckets, in seconds: a push of a few scans is tens of milliseconds. */
const PUSH_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Unsent mutations a device reports per sync attempt. */
const OUTBOX_DEPTH_BUCKETS = [0, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];

/** Where an order came from, as the intake counter labels it. */
export type IntakeChannelLabel = 'shopify' | 'api' | 'csv';

/**
 * The outcome of one order taken in: takeInOrder's; `refused` when the store's order could not be
 * taken in, `ignored` for a topic Dockhand does not take; `replayed` for a delivery or an
 * Idempotency-Key answered again from what was stored (its first outcome counted already).
 */
export type IntakeOutcomeLabel = IntakeOutcome | 'refused' | 'ignored' | 'replayed';

/** Known mutation types label themselves; anything a device made up is `other`, so no client can grow the label set. */
const KNOWN_TYPES: ReadonlySet<string> = new Set(MUTATION_TYPES);

export interface MetricsOptions {
  /** Node's own metrics too (CPU, memory, event loop lag, GC): on for a served app, off by default. */
  processMetrics?: boolean;
  /** Read at every scrape for the devices' unsent work as last reported (every API server sees them all). */
  db?: Queryable;
}

export class Metrics {
  readonly registry = new Registry();

  /** Push requests answered, by HTTP status. */
  readonly pushes = new Counter({ name: 'dockhand_sync_pushes_total', help: 'Push requests answered, by HTTP status.', labelNames: ['status'] as const, registers: [this.registry] });

  /** Push requests' time from arrival to the answer sent, in seconds. */
  readonly pushSeconds = new Histogram({ name: 'dockhand_sync_push_duration_seconds', help: 'Time to answer a push, in seconds.', buckets: PUSH_SECONDS_BUCKETS, registers: [this.registry] });

  /** Mutations decided by a push (replays of a stored result are not counted again); `code` is empty when applied. */
  readonly mutations = new Counter({
    name: 'dockhand_sync_mutations_total',
    help: 'Mutations applied or rejected, by type, status and rejection code (replays not counted).',
    labelNames: ['type', 'status', 'code'] as const,
    registers: [this.registry],
  });

  /** Pull pages answered (200). */
  readonly pullPages = new Counter({ name: 'dockhand_sync_pull_pages_total', help: 'Pull pages served.', registers: [this.registry] });

  /** Supervisor live-feed (SSE) connections open on this server: inc() on connect, dec() on close. */
  readonly sseClients = new Gauge({ name: 'dockhand_sse_clients', help: 'Supervisor live-feed (SSE) connections open on this server.', registers: [this.registry] });

  /** Unsent mutations each device reported with a push or pull, one observation per report. */
  readonly outboxReported = new Histogram({
    name: 'dockhand_device_outbox_reported',
    help: 'Unsent mutations a device reported with a sync attempt, per report.',
    labelNames: ['route'] as const,
    buckets: OUTBOX_DEPTH_BUCKETS,
    registers: [this.registry],
  });

  /** Orders taken in, by channel and outcome. */
  readonly intake = new Counter({ name: 'dockhand_orders_intake_total', help: 'Orders taken in, by channel and outcome.', labelNames: ['channel', 'outcome'] as const, registers: [this.registry] });

  constructor(options: MetricsOptions = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'dockhand_' });
    const db = options.db;
    if (!db) return;
    // From the devices table at scrape time, so every API server reports the whole site alike. A
    // scrape collects the three gauges at once: they share one read.
    let latest: Promise<OutboxTotals> | null = null;
    const totals = () => (latest ??= outboxTotals(db).finally(() => (latest = null)));
    const gauge = (name: string, help: string, pick: (t: OutboxTotals) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          // An unreadable database leaves the gauge out of this scrape rather than failing it.
          const read = await totals().catch(() => null);
          if (read) this.set(pick(read));
        },
      });
    gauge('dockhand_devices_unsent_mutations', 'Unsent mutations on all devices, as last reported.', (t) => t.pending);
    gauge('dockhand_devices_with_unsent', 'Devices that last reported unsent mutations.', (t) => t.devices);
    gauge('dockhand_devices_oldest_unsent_seconds', 'Age of the oldest unsent mutation any device reported, in seconds.', (t) => t.oldestSeconds);
  }

  /** Counts one mutation a push decided (not a replay). */
  mutationDecided(result: { type: string; status: 'applied' | 'rejected'; code: string | null }): void {
    this.mutations.inc({ type: KNOWN_TYPES.has(result.type) ? result.type : 'other', status: result.status, code: result.code ?? '' });
  }

  /** Counts one order taken in, once its transaction has committed. */
  orderTakenIn(channel: IntakeChannelLabel, outcome: IntakeOutcomeLabel, count = 1): void {
    if (count > 0) this.intake.inc({ channel, outcome }, count);
  }

  /** Prometheus' text format. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

interface OutboxTotals {
  pending: number;
  devices: number;
  oldestSeconds: number;
}

async function outboxTotals(db: Queryable): Promise<OutboxTotals> {
  const { rows } = await db.query<{ pending: string | number; devices: string | number; oldest: string | number | null }>(
    `select coalesce(sum(pending_count), 0)::bigint as pending, count(*) filter (where pending_count > 0)::int as devices,
            extract(epoch from now() - min(oldest_pending_at) filter (where pending_count > 0)) as oldest
     from devices`,
  );
  const row = rows[0]!;
  return { pending: Number(row.pending), devices: Number(row.devices), oldestSeconds: row.oldest === null ? 0 : Math.max(0, Number(row.oldest)) };
}

function sameSecret(presented: string, expected: string): boolean {
  // Hashed first so the comparison takes the same time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * GET /metrics, and the hooks that count pushes and pulls. Who may read it: a signed-in admin, or
 * a scraper presenting `token` (METRICS_TOKEN) as its bearer token; anyone else 401, other roles 403.
 */
export async function registerMetrics(app: FastifyInstance, db: Db, options: { metrics: Metrics; token?: string }): Promise<void> {
  const { metrics, token } = options;
  app.decorate('metrics', metrics);

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url;
    if (route !== PUSH_ROUTE && route !== PULL_ROUTE) return;
    if (route === PUSH_ROUTE) {
      metrics.pushes.inc({ status: String(reply.statusCode) });
      metrics.pushSeconds.observe(reply.elapsedTime / 1000);
    } else if (reply.statusCode === 200) {
      metrics.pullPages.inc();
    }
    // Only a signed-in device's report: an anonymous request cannot move the figures.
    const report = request.auth ? readPendingReport(request.headers) : null;
    if (report) metrics.outboxReported.observe({ route: route === PUSH_ROUTE ? 'push' : 'pull' }, report.pending);
  });

  const admin = requireUser(db, ['admin']);
  app.get(METRICS_PATH, {
    schema: {
      summary: 'Prometheus metrics: pushes, mutations by type and code, push latency, pull pages, live-feed clients, devices’ unsent work, order intake (admin, or the METRICS_TOKEN bearer)',
      tags: ['admin', 'system'],
      security: [{ bearer: [] }],
      produces: ['text/plain'],
    },
    onRequest: async (request, reply) => {
      const presented = bearerToken(request);
      if (token && presented !== null && sameSecret(presented, token)) return;
      await admin(request, reply);
    },
  }, async (_request, reply) => {
    const { contentType, body } = await metrics.text();
    return reply.type(contentType).header('cache-control', 'no-store').send(body);
  });
}
