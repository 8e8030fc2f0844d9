// What every answer and every request goes through before a route sees it: security headers
// (@fastify/helmet), no caching of /api answers, authentication before the body is read, and
// text PostgreSQL cannot store refused as a 400 naming the field. Also the table of routes.
import helmet from '@fastify/helmet';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest, FastifySchema, HTTPMethods, RouteOptions } from 'fastify';
import { jsonProblem } from '../src/domain/text';
import type { Db } from './db/index';
import { ApiError } from './routes/errors';
import { API_PREFIX, authenticateApi } from './routes/guard';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route checks the text of its body itself, so the app-wide check skips the body (push
     * stores a mutation's unstorable text as that mutation's rejection instead of refusing the batch).
     */
    ownBodyTextCheck?: boolean;
  }
  interface FastifyInstance {
    /** Every route registered, with whether it is open to callers who are not signed in. */
    routeTable(): RouteEntry[];
  }
}

export interface RouteEntry {
  method: HTTPMethods;
  url: string;
  public: boolean;
  /** The route's request schemas (zod) as declared, e.g. for the route fuzzer. */
  schema: FastifySchema | undefined;
}

/** Where the API's description is browsed; public (see docs/security.md). */
export const DOCS_PREFIX = '/api/docs';

/** How long a browser keeps to HTTPS once it has seen the site over TLS: one year. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * The app's Content Security Policy: its own origin only. The barcode decoder compiles its
 * WebAssembly ('wasm-unsafe-eval'); photo previews and the camera's fallback stream are blob: URLs.
 * Workers and the service worker are same-origin module scripts and get this policy too.
 */
export const APP_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'blob:'],
  manifestSrc: ["'self'"],
  mediaSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  workerSrc: ["'self'"],
};

/**
 * Swagger UI's pages: its own scripts only, but its stylesheet sets inline styles and its icons are
 * data: images. The pages hold no user data (the API description is the open source's).
 */
const DOCS_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
};

function routeUrl(request: FastifyRequest): string | undefined {
  return request.routeOptions.url;
}

/** Why a parsed body, querystring or params could not be stored as text, naming the field; null when it can. */
export function storableInputProblem(part: string, value: unknown): string | null {
  // A photo's body is raw bytes, not text; every other part is parsed JSON or strings.
  return Buffer.isBuffer(value) ? null : jsonProblem(value, { root: part, bounded: false });
}

/** Registers everything above on `app`; call before any route is added. */
export async function registerHttpSecurity(app: FastifyInstance, db: Db): Promise<void> {
  const routes: RouteOptions[] = [];
  // The route options object is shared by every onRoute hook, so a later hook's `public` shows here.
  app.addHook('onRoute', (route) => void routes.push(route));
  app.decorate('routeTable', () =>
    routes.flatMap((route) =>
      [route.method].flat().map((method) => ({ method, url: route.url, public: route.config?.public === true, schema: route.schema })),
    ),
  );

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: APP_CSP_DIRECTIVES },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Sent only to a request that arrived over TLS (below): over plain HTTP it would be ignored,
    // and a LAN install without a certificate must not be told to insist on one.
    strictTransportSecurity: false,
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') {
      reply.helmet({ strictTransportSecurity: { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } });
    }
    // Answers under /api carry tokens and the user's data: no browser or proxy keeps them.
    if ((routeUrl(request) ?? request.url).startsWith(API_PREFIX)) reply.header('cache-control', 'no-store');
  });

  app.addHook('onRequest', authenticateApi(db));

  app.addHook('preValidation', async (request) => {
    const parts: [string, unknown][] = [['querystring', request.query], ['params', request.params]];
    if (request.routeOptions.config.ownBodyTextCheck !== true) parts.push(['body', request.body]);
    for (const [part, value] of parts) {
      const problem = storableInputProblem(part, value);
      if (problem) throw new ApiError(400, { error: 'BAD_REQUEST', message: `The request is not valid: ${problem}.` });
    }
  });
}

/** Swagger UI at /api/docs: public, with a CSP of its own. */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: DOCS_CSP });
  });
}
