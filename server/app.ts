// The Fastify application: every route, its zod schemas (which also make the OpenAPI
// description at /api/docs), authentication, and the built PWA served from the same origin.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Db } from './db/index';
import { registerAuth } from './routes/auth-routes';
import { registerSync } from './routes/sync-routes';
import { registerSupervisor } from './routes/supervisor-routes';
import { registerFloorEvents } from './routes/floor-event-routes';
import { registerFloorRoutes } from './routes/floor-routes';
import { registerAdmin } from './routes/admin-routes';
import { registerAdminConsole } from './routes/admin-console-routes';
import { registerLpnRanges } from './routes/lpn-routes';
import { registerPhotos } from './routes/photo-routes';
import { registerScopeRoutes } from './routes/scope-routes';
import { registerImports } from './routes/import-routes';
import { registerExports } from './routes/export-routes';
import { registerIntegrations } from './routes/integration-routes';
import { setSecretsKey } from './integrations/secret-box';
import { registerOrderRoutes } from './routes/order-routes';
import { registerWebhooks } from './routes/webhook-routes';
import { registerDocuments } from './routes/document-routes';
import { registerPrinters } from './routes/printer-routes';
import { registerPrintJobs } from './routes/print-job-routes';
import { AllocationRunner } from './orders/allocation-runner';
import { NoticeRunner, type NoticeRunnerOptions } from './fulfillment/notice-runner';
import { registerFulfillmentRoutes } from './routes/fulfillment-routes';
import { DEFAULT_ALLOCATION, type AllocationSettings } from './orders/allocate';
import { ApiError } from './routes/errors';
import { registerApiDocs, registerHttpSecurity } from './http-security';
import { Metrics, registerMetrics } from './metrics';
import { tagRequestLogs } from './request-log';
import { registerLabelSheets } from './routes/label-routes';
import { DEFAULT_WAREHOUSE_TIME_ZONE, todayIn } from '../src/domain/warehouse-clock';
import { fastifyTrustProxy, type TrustProxy } from './config';
import { DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from './sign-in-guard';

declare module 'fastify' {
  interface FastifyInstance {
    /** Allocates waiting orders after intake and stock arrivals (server/orders/allocation-runner). */
    allocation: AllocationRunner;
    /** Tells stores what shipped, from the fulfillment outbox (server/fulfillment/notice-runner). */
    fulfillment: NoticeRunner;
  }
}

export interface AppOptions {
  db: Db;
  /** Orders and lines per pick list (server/config `ORDERS_PER_LIST`, `LINES_PER_LIST`). */
  allocation?: Partial<AllocationSettings>;
  /** How often waiting orders are tried again, in ms; 0 for never (tests call `app.allocation.settle()`). */
  allocationSweepMs?: number;
  /** The GS1 company prefix carton SSCCs are numbered under (server/config `GS1_COMPANY_PREFIX`). */
  gs1CompanyPrefix?: string;
  /** False: allocation runs only when `app.allocation.settle()` is awaited (seed-replayed simulations). */
  allocationInBackground?: boolean;
  /**
   * The fulfillment notice runner's clock, HTTP client, jitter, sweep and `background` (false: it
   * sends only when `app.fulfillment.settle()` or `runDue()` is awaited, for seed-replayed simulations).
   */
  fulfillment?: Omit<NoticeRunnerOptions, 'log'>;
  /** Folder of the built PWA to serve; skipped when it does not exist. */
  staticDir?: string;
  logger?: FastifyServerOptions['logger'];
  /** The warehouse's IANA time zone (server/config `WAREHOUSE_TIME_ZONE`); UTC by default. */
  warehouseTimeZone?: string;
  /** Today's date at the warehouse (YYYY-MM-DD); by default from the clock in `warehouseTimeZone`. Injectable for tests. */
  today?: () => string;
  /** Sign-in limits (server/sign-in-guard); the defaults otherwise. */
  signInLimits?: Partial<SignInLimits>;
  /** Which peers' X-Forwarded-For to believe (server/config `TRUST_PROXY`); nobody's by default. */
  trustProxy?: TrustProxy;
  /** Seals integration secrets (server/config `SECRETS_KEY`); a key kept in the database by default. */
  secretsKey?: Buffer;
  /** A bearer token that may read GET /metrics besides an admin (server/config `METRICS_TOKEN`). */
  metricsToken?: string;
  /** Node's process metrics at /metrics too (on when served; off for the many apps tests build). */
  processMetrics?: boolean;
}

/** Largest request body accepted (a push of 200 mutations is far below it). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: fastifyTrustProxy(options.trustProxy),
    // A `__proto__` key is dropped like any other field no schema reads, instead of refusing the
    // whole body: in a push that 400 would hold back every scan behind the one that carried it.
    onProtoPoisoning: 'remove',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.body);
    if (hasZodFastifySchemaValidationErrors(error)) {
      // Named as the part and path the caller sent: "body/username", "querystring/limit".
      const issues = error.validation.map((issue) => `${error.validationContext ?? 'body'}${issue.instancePath}: ${issue.message}`);
      return reply.code(400).send({ error: 'BAD_REQUEST', message: `The request is not valid: ${issues.join('; ')}` });
    }
    const statusCode = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (statusCode === 413) return reply.code(413).send({ error: 'PAYLOAD_TOO_LARGE', message: `The request is larger than ${BODY_LIMIT_BYTES} bytes. Send fewer mutations at a time.` });
    if (statusCode === 429) return reply.code(429).send({ error: 'RATE_LIMITED', message: error.message });
    if (statusCode >= 400 && statusCode < 500) return reply.code(statusCode).send({ error: 'BAD_REQUEST', message: error.message });
    request.log.error({ err: error }, 'request failed');
    return reply.code(503).send({ error: 'UNAVAILABLE', message: 'The server could not finish this request. Try again shortly.' });
  });

  await registerHttpSecurity(app, options.db);
  tagRequestLogs(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Dockhand API', version: '1.0.0', description: 'Sign-in and the offline sync protocol (push/pull) of the Dockhand floor app. See docs/protocol.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await registerApiDocs(app);
  await registerMetrics(app, options.db, { metrics: new Metrics({ db: options.db, processMetrics: options.processMetrics }), token: options.metricsToken });

  const timeZone = options.warehouseTimeZone ?? DEFAULT_WAREHOUSE_TIME_ZONE;
  const today = options.today ?? (() => todayIn(timeZone, Date.now()));
  app.get('/api/health', {
    schema: { summary: 'Liveness and the database in use', tags: ['system'] },
    config: { public: true },
  }, async () => {
    await options.db.query('select 1');
    return { ok: true, db: options.db.kind };
  });
  const allocation = new AllocationRunner(options.db, {
    today,
    settings: { ...DEFAULT_ALLOCATION, ...options.allocation },
    sweepMs: options.allocationSweepMs,
    background: options.allocationInBackground,
    log: app.log,
  });
  app.decorate('allocation', allocation);
  app.addHook('onReady', async () => allocation.start());
  app.addHook('onClose', async () => allocation.stop());
  const fulfillment = new NoticeRunner(options.db, { ...options.fulfillment, log: app.log });
  app.decorate('fulfillment', fulfillment);
  app.addHook('onReady', async () => fulfillment.start());
  app.addHook('onClose', async () => fulfillment.stop());
  await registerAuth(app, options.db, { limits: { ...DEFAULT_SIGN_IN_LIMITS, ...options.signInLimits } });
  await registerSync(app, options.db, { today, timeZone });
  await registerSupervisor(app, options.db);
  await registerFloorEvents(app, options.db);
  await registerFloorRoutes(app, options.db, { timeZone });
  await registerAdmin(app, options.db);
  await registerAdminConsole(app, options.db);
  await registerLpnRanges(app, options.db);
  await registerPhotos(app, options.db);
  await registerScopeRoutes(app, options.db);
  await registerOrderRoutes(app, options.db, allocation);
  await registerWebhooks(app, options.db);
  await registerDocuments(app, options.db, { timeZone, companyPrefix: options.gs1CompanyPrefix });
  await registerPrinters(app, options.db);
  await registerPrintJobs(app, options.db, { companyPrefix: options.gs1CompanyPrefix });
  await registerImports(app, options.db);
  await registerExports(app, options.db, { timeZone, today });
  setSecretsKey(options.db, options.secretsKey);
  await registerIntegrations(app, options.db);
  await registerFulfillmentRoutes(app, options.db, fulfillment);
  await registerLabelSheets(app, options.db);

  if (options.staticDir && existsSync(join(options.staticDir, 'index.html'))) {
    await serveApp(app, options.staticDir);
  }
  return app;
}

async function serveApp(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    wildcard: true,
    setHeaders: (res, path) => {
      // The service worker and the shell must be revalidated, or an update never arrives;
      // hashed assets never change.
      if (/(sw\.js|index\.html|manifest\.webmanifest)$/.test(path)) res.header('cache-control', 'no-cache');
      else if (path.includes('/assets/')) res.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send({ error: 'NOT_FOUND', message: `No route ${request.method} ${request.url}.` });
  });
}
