// Sign-in and sign-out. Sign-in runs within the database-kept limits (server/sign-in-guard) and
// binds the device to the credential that registered it (server/auth `bindDevice`).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { text, Username } from '../../src/domain/text';
import { PublicUser, signIn, signOut } from '../auth';
import type { Db } from '../db/index';
import type { SignInLimits } from '../sign-in-guard';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

export const SignInRequest = z.object({
  username: Username,
  pin: text().regex(/^\d{4,8}$/, 'A PIN is 4 to 8 digits'),
  deviceId: text().min(8).max(100),
  deviceSecret: text().min(1).max(200).optional().describe('The secret this device was issued at its first sign-in'),
  nextSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()
    .describe('The sequence number of the next mutation this device will push; a handover is refused while it is past the server’s'),
});

const Failure = z.object({ error: z.string(), message: z.string() });

export async function registerAuth(app: FastifyInstance, db: Db, options: { limits: SignInLimits }): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post('/api/session', {
    schema: {
      summary: 'Sign in with username and PIN; returns a bearer token bound to the device, and the device secret at its first sign-in',
      tags: ['session'],
      body: SignInRequest,
      response: {
        200: z.object({ token: z.string(), user: PublicUser, deviceSecret: z.string().optional() }),
        400: Failure,
        401: Failure,
        403: Failure,
        409: Failure,
        423: Failure,
        429: Failure.extend({ retryAfterSeconds: z.number().int() }),
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
    schema: { summary: 'The signed-in user', tags: ['session'], security: [{ bearer: [] }], response: { 200: z.object({ user: PublicUser, deviceId: z.string() }) } },
    onRequest: requireUser(db),
  }, async (request) => {
    const { user, actor } = authOf(request);
    return { user, deviceId: actor.deviceId };
  });
}
