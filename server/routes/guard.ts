// Authentication before parsing: one onRequest hook signs in the caller of every /api route not
// marked `config: { public: true }`, so nobody signed out gets a body parsed or a schema error.
// Role checks stay per route (`onRequest: requireUser(db, roles)`), also before the body is read.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Actor, Role } from '../../src/domain';
import { authenticate, type PublicUser } from '../auth';
import type { Db } from '../db/index';
import { ApiError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: { actor: Actor; user: PublicUser; token: string };
  }
  interface FastifyContextConfig {
    /** Open to callers who are not signed in (sign-in, health, the API docs). */
    public?: boolean;
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

/** The app-wide onRequest hook: runs before the body is read, for every route. */
export function authenticateApi(db: Db): onRequestAsyncHookHandler {
  return async (request) => {
    if (needsSession(request)) await signInCaller(db, request);
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
