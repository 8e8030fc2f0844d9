// Sign-in and sign-out.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PublicUser, signIn, signOut } from '../auth';
import type { Db } from '../db/index';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

export const SignInRequest = z.object({
  username: z.string().trim().min(1).max(60),
  pin: z.string().regex(/^\d{4,8}$/, 'A PIN is 4 to 8 digits'),
  deviceId: z.string().min(8).max(100),
});

const Failure = z.object({ error: z.string(), message: z.string() });

export async function registerAuth(app: FastifyInstance, db: Db, options: { signInLimitPerMinute: number }): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post('/api/session', {
    schema: {
      summary: 'Sign in with username and PIN; returns a bearer token bound to the device',
      tags: ['session'],
      body: SignInRequest,
      response: { 200: z.object({ token: z.string(), user: PublicUser }), 401: Failure, 429: Failure },
    },
    config: {
      rateLimit: {
        max: options.signInLimitPerMinute,
        timeWindow: '1 minute',
        // Per address and username: one device guessing cannot lock a whole shift out.
        keyGenerator: (request) => `${request.ip}:${String((request.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
        errorResponseBuilder: (_request, context) => ({
          statusCode: 429,
          error: 'RATE_LIMITED',
          message: `Too many sign-in attempts. Wait ${Math.ceil(context.ttl / 1000)} seconds and try again.`,
        }),
      },
    },
  }, async (request) => {
    const session = await signIn(db, request.body);
    if (!session) throw new ApiError(401, { error: 'INVALID_CREDENTIALS', message: 'Wrong username or PIN.' });
    return session;
  });

  api.delete('/api/session', {
    schema: { summary: 'Sign out: ends this device session', tags: ['session'], security: [{ bearer: [] }] },
    preHandler: requireUser(db),
  }, async (request, reply) => {
    await signOut(db, authOf(request).token);
    return reply.code(204).send();
  });

  api.get('/api/session', {
    schema: { summary: 'The signed-in user', tags: ['session'], security: [{ bearer: [] }], response: { 200: z.object({ user: PublicUser, deviceId: z.string() }) } },
    preHandler: requireUser(db),
  }, async (request) => {
    const { user, actor } = authOf(request);
    return { user, deviceId: actor.deviceId };
  });
}
