// Authentication before parsing: one onRequest hook signs in the caller of every /api route not
// marked `config: { public: true }`, so nobody signed out gets a body parsed or a schema error.
// Role checks stay per route (`onRequest: requireUser(db, roles)`), also before the body is read.
// An integration's API key is a caller only on routes marked `config: { apiKey: true }`
// (`requireCaller`); anywhere else it is refused, never taken for a session.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Actor, Role } from '../../src/domain';
import { authenticate, type PublicUser } from '../auth';
import type { Db } from '../db/index';
import { authenticateApiKey, isApiKeyFormat, type IntegrationCaller } from '../integrations/api-keys';
import { ApiError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: { actor: Actor; user: PublicUser; token: string };
    /** An integration calling with its API key; set instead of `auth`, only on `apiKey` routes. */
    integration?: IntegrationCaller;
  }
  interface FastifyContextConfig {
    /** Open to callers who are not signed in (sign-in, health, the API docs). */
    public?: boolean;
    /** Integrations may call it with an API key (see `requireCaller`); elsewhere a key is 401. */
    apiKey?: boolean;
  }
}

/** Routes under this prefix need a session unless marked public. */
export const API_PREFIX = '/api/';

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

const signedOut = () => new ApiError(401, { error: 'UNAUTHORIZED', message: 'Your session has ended. Sign in again; unsent scans are kept.' });

/** Whether the route matched for `request` needs a session: an /api route not marked public. */
export function needsSession(request: FastifyRequest): boolean {
  // The matched route's pattern, not the raw URL: undefined for a 404, and immune to URL spelling.
  const route = request.routeOptions.url;
  return route !== undefined && route.startsWith(API_PREFIX) && request.routeOptions.config.public !== true;
}

async function signInCaller(db: Db, request: FastifyRequest): Promise<void> {
  const token = bearerToken(request);
  const found = token ? await authenticate(db, token) : null;
  if (!token || !found) throw signedOut();
  request.auth = { ...found, token };
}

/**
 * The API key `request` presents, or null when it presents none: header X-Api-Key, or a bearer
 * token in a key's form (a session token never has it). A header that is present but empty or
 * repeated is presented as '' and so refused, never ignored.
 */
export function presentedApiKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (header !== undefined) return typeof header === 'string' ? header.trim() : '';
  const token = bearerToken(request);
  return token !== null && isApiKeyFormat(token) ? token : null;
}

const keyRefused = (message: string) => new ApiError(401, { error: 'UNAUTHORIZED', message });

/** Signs in the caller: a user's session, or an integration's API key where the route takes one. */
async function identifyCaller(db: Db, request: FastifyRequest): Promise<void> {
  const key = presentedApiKey(request);
  if (key === null) return signInCaller(db, request);
  if (request.routeOptions.config.apiKey !== true) throw keyRefused('This route does not take an API key. It needs a signed-in user.');
  if (request.headers['x-api-key'] !== undefined && request.headers.authorization !== undefined) {
    throw keyRefused('Send either an API key or a session, not both.');
  }
  const integration = await authenticateApiKey(db, key);
  if (!integration) throw keyRefused('The API key is not valid: it is unknown, revoked, or past its rotation window. Ask an admin for a new one.');
  request.integration = integration;
}

/** The app-wide onRequest hook: runs before the body is read, for every route. */
export function authenticateApi(db: Db): onRequestAsyncHookHandler {
  return async (request) => {
    if (needsSession(request)) await identifyCaller(db, request);
  };
}

/**
 * A route's onRequest hook admitting signed-in users, and only those with one of `roles` when
 * given, before the body is read. The session was checked by `authenticateApi`, which runs first
 * (app-wide hooks precede a route's); a route outside /api is signed in here.
 */
export function requireUser(db: Db, roles?: readonly Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!request.auth) await signInCaller(db, request);
    const { user } = request.auth!;
    if (roles && !roles.includes(user.role)) {
      throw new ApiError(403, { error: 'FORBIDDEN', message: `This needs the ${roles.join(' or ')} role.` });
    }
  };
}

/** The authenticated caller; only inside routes that need a session. */
export function authOf(request: FastifyRequest): NonNullable<FastifyRequest['auth']> {
  if (!request.auth) throw signedOut();
  return request.auth;
}

/**
 * A route's onRequest hook admitting a signed-in user with one of `roles`, or an integration's API
 * key on a route marked `config: { apiKey: true }`; anyone else is refused (401, or 403 for a user
 * without the role). Scope the route's queries by `callerScope(request).ownerIds`.
 */
export function requireCaller(db: Db, options: { roles: readonly Role[] }) {
  const admitUser = requireUser(db, options.roles);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // A route outside /api is not signed in by `authenticateApi`: it is here.
    if (!request.auth && !request.integration) await identifyCaller(db, request);
    if (request.integration) return;
    await admitUser(request, reply);
  };
}

export interface CallerScope {
  /** The owners the caller acts for; null: every owner. An API key acts for its own owner only. */
  ownerIds: readonly string[] | null;
  /** The signed-in user; null for an API key. */
  userId: string | null;
  /** The integration whose key called; null for a user. */
  integrationId: string | null;
  /** Who acted, for logs and audit rows: the username, or `integration:<id>`. */
  label: string;
}

/** Who is calling and for which owners; only inside routes guarded by `requireCaller` or `requireUser`. */
export function callerScope(request: FastifyRequest): CallerScope {
  if (request.integration) {
    const { id, ownerId } = request.integration;
    return { ownerIds: [ownerId], userId: null, integrationId: id, label: `integration:${id}` };
  }
  const { actor, user } = authOf(request);
  return { ownerIds: actor.ownerIds, userId: actor.userId, integrationId: null, label: user.username };
}
