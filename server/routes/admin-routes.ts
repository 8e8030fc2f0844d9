// Administration: creating the real users of a site (demo users come only from the seed).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Role } from '../../src/domain';
import { createUser, PublicUser } from '../auth';
import { sqlState, type Db } from '../db/index';
import { ApiError } from './errors';
import { requireUser } from './guard';

export const NewUserRequest = z.object({
  username: z.string().trim().min(2).max(60).regex(/^[a-z0-9._-]+$/i, 'letters, digits, dot, dash and underscore only'),
  displayName: z.string().trim().min(1).max(100),
  pin: z.string().regex(/^\d{4,8}$/, 'A PIN is 4 to 8 digits'),
  role: Role,
  ownerIds: z.array(z.string()).min(1).nullable().default(null),
});

export async function registerAdmin(app: FastifyInstance, db: Db): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/api/admin/users', {
    schema: { summary: 'Create a user (admin)', tags: ['admin'], security: [{ bearer: [] }], body: NewUserRequest, response: { 201: PublicUser } },
    preHandler: requireUser(db, ['admin']),
  }, async (request, reply) => {
    if (request.body.ownerIds) {
      const known = await db.query<{ id: string }>('select id from owners where id = any($1::text[])', [request.body.ownerIds]);
      const missing = request.body.ownerIds.filter((id) => !known.rows.some((row) => row.id === id));
      if (missing.length) throw new ApiError(400, { error: 'BAD_REQUEST', message: `Unknown owners: ${missing.join(', ')}.` });
    }
    try {
      return reply.code(201).send(await createUser(db, request.body));
    } catch (error) {
      if (sqlState(error) === '23505') throw new ApiError(409, { error: 'CONFLICT', message: `The username ${request.body.username} is taken.` });
      throw error;
    }
  });
}
