// Administration: creating the real users of a site (demo users come only from the seed), and
// unlocking an account locked after failed sign-ins.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Role } from '../../src/domain';
import { Id, text, Username } from '../../src/domain/text';
import { createUser, PublicUser } from '../auth';
import { unlockAccount } from '../sign-in-guard';
import { sqlState, type Db } from '../db/index';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';
import { grantableOwners } from './owner-grants';

export const NewUserRequest = z.object({
  username: Username.min(2).regex(/^[a-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  displayName: text().trim().min(1).max(100),
  pin: z.string().regex(/^\d{4,8}$/, 'A PIN is 4 to 8 digits'),
  role: Role,
  ownerIds: z.array(Id).min(1).max(1000).nullable().default(null),
});

export async function registerAdmin(app: FastifyInstance, db: Db): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/api/admin/users', {
    schema: { summary: 'Create a user (admin)', tags: ['admin'], security: [{ bearer: [] }], body: NewUserRequest, response: { 201: PublicUser } },
    onRequest: requireUser(db, ['admin']),
  }, async (request, reply) => {
    const ownerIds = await grantableOwners(db, authOf(request).actor, request.body.ownerIds);
    try {
      return reply.code(201).send(await createUser(db, { ...request.body, ownerIds }));
    } catch (error) {
      if (sqlState(error) === '23505') throw new ApiError(409, { error: 'CONFLICT', message: `The username ${request.body.username} is taken.` });
      throw error;
    }
  });

  app.withTypeProvider<ZodTypeProvider>().post('/api/admin/users/:username/unlock', {
    schema: {
      summary: 'Unlock an account locked after failed sign-ins (supervisor or admin of the user’s owners)',
      tags: ['admin'],
      security: [{ bearer: [] }],
      params: z.object({ username: Username }),
      response: { 200: z.object({ username: z.string(), wasLocked: z.boolean() }), 404: z.object({ error: z.string(), message: z.string() }) },
    },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request) => {
    const { actor } = authOf(request);
    const { username } = request.params;
    const { rows } = await db.query<{ id: string; owner_ids: string[] | null }>('select id, owner_ids from users where username = $1', [username]);
    const user = rows[0];
    // A supervisor limited to some owners acts only on users limited to those owners: anyone
    // else, or a username that is nobody's, is "not found".
    const within = actor.ownerIds === null || (user?.owner_ids != null && user.owner_ids.every((owner) => actor.ownerIds!.includes(owner)));
    if (!user || !within) throw new ApiError(404, { error: 'NOT_FOUND', message: 'User not found.' });
    const { wasLocked } = await unlockAccount(db, { username, userId: user.id }, { userId: actor.userId, address: request.ip });
    return { username, wasLocked };
  });
}
