// Bearer-token authentication and role checks, as a preHandler per route.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../../src/domain';
import { authenticate, type PublicUser } from '../auth';
import type { Db } from '../db/index';
import { ApiError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: { actor: Actor; user: PublicUser; token: string };
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** A preHandler admitting signed-in users, and only those with one of `roles` when given. */
export function requireUser(db: Db, roles?: readonly Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request);
    const found = token ? await authenticate(db, token) : null;
    if (!token || !found) {
      throw new ApiError(401, { error: 'UNAUTHORIZED', message: 'Your session has ended. Sign in again; unsent scans are kept.' });
    }
    if (roles && !roles.includes(found.user.role)) {
      throw new ApiError(403, { error: 'FORBIDDEN', message: `This needs the ${roles.join(' or ')} role.` });
    }
    request.auth = { ...found, token };
  };
}

/** The authenticated caller; only inside routes guarded by `requireUser`. */
export function authOf(request: FastifyRequest): NonNullable<FastifyRequest['auth']> {
  if (!request.auth) throw new ApiError(401, { error: 'UNAUTHORIZED', message: 'Sign in first.' });
  return request.auth;
}
