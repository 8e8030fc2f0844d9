// Sign-in and sign-out. Sign-in runs within the database-kept limits (server/sign-in-guard) and
// binds the device to the credential that registered it (server/auth `bindDevice`).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, RateLimited, SessionInfo, SessionResponse, SignInRequest } from '../../src/domain/api';
import { signIn, signOut } from '../auth';
import type { Db } from '../db/index';
import type { SignInLimits } from '../sign-in-guard';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

export async function registerAuth(app: FastifyInstance, db: Db, options: { limits: SignInLimits }): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post('/api/session', {
    schema: {
      summary: 'Sign in with username and PIN; returns a bearer token bound to the device, and the device secret at its first sign-in',
      tags: ['session'],
      body: SignInRequest,
      response: {
        200: SessionResponse,
        400: ErrorBody,
        401: ErrorBody,
        403: ErrorBody,
        409: ErrorBody,
        423: ErrorBody,
        429: RateLimited,
      },
    },
    config: { public: true },
  }, async (request, reply) => {
    const outcome = await signIn(db, request.body, { address: request.ip, limits: options.limits });
    if (outcome.ok) return outcome;
    switch (outcome.reason) {
      case 'invalid-credentials':
        throw new ApiError(401, { error: 'INVALID_CREDENTIALS', message: 'Wrong username or PIN.' });
      case 'locked':
        throw new ApiError(423, { error: 'ACCOUNT_LOCKED', message: 'This account is locked after too many wrong PINs. Ask a supervisor to unlock it.' });
      case 'limited':
        void reply.header('retry-after', String(outcome.retryAfterSeconds));
        throw new ApiError(429, {
          error: 'RATE_LIMITED',
          message: `Too many sign-in attempts. Wait ${outcome.retryAfterSeconds} seconds and try again.`,
          retryAfterSeconds: outcome.retryAfterSeconds,
        });
      case 'device-taken':
        throw new ApiError(403, { error: 'DEVICE_TAKEN', message: 'This device id is registered to another device. Start the app afresh on this device, or ask a supervisor.' });
      case 'unsent-mutations':
        throw new ApiError(409, { error: 'UNSENT_MUTATIONS', message: 'This device still holds scans the server has not received. The user who made them must sign in and send them first.' });
    }
  });

  api.delete('/api/session', {
    schema: { summary: 'Sign out: ends this device session', tags: ['session'], security: [{ bearer: [] }] },
    onRequest: requireUser(db),
  }, async (request, reply) => {
    await signOut(db, authOf(request).token);
    return reply.code(204).send();
  });

  api.get('/api/session', {
    schema: { summary: 'The signed-in user', tags: ['session'], security: [{ bearer: [] }], response: { 200: SessionInfo } },
    onRequest: requireUser(db),
  }, async (request) => {
    const { user, actor } = authOf(request);
    return { user, deviceId: actor.deviceId };
  });
}
