// Admin routes for an owner's integrations (issue 13): connect a Shopify shop or issue an API key,
// list them, rotate a secret with a window for the old one, revoke. Secrets are shown only when
// issued. Every query is scoped by the admin's owners; anyone else's integration is "not found".
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../src/domain/text';
import type { Db } from '../db/index';
import {
  createIntegration,
  Integration,
  listIntegrations,
  NewIntegrationRequest,
  resolveOwner,
  revokeIntegration,
  rotateIntegration,
  RotateRequest,
} from '../integrations/integration-store';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

const Failure = z.object({ error: z.string(), message: z.string() });

const Issued = z.object({
  integration: Integration,
  apiKey: z.string().optional().describe('api: the key, shown this once. Send it as "Authorization: Bearer <key>" or "X-Api-Key: <key>"'),
});

const unknownOwner = (ref: string) => new ApiError(400, { error: 'BAD_REQUEST', message: `owner: no owner ${ref}. Give an owner’s id or code.` });

export async function registerIntegrations(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const guarded = { security: [{ bearer: [] }], tags: ['admin'] };

  api.post('/api/admin/integrations', {
    schema: {
      ...guarded,
      summary: 'Connect a Shopify shop or issue an API key for an owner (admin); an api key is shown only in this answer',
      body: NewIntegrationRequest,
      response: { 201: Issued, 400: Failure, 401: Failure, 403: Failure, 409: Failure },
    },
    onRequest: requireUser(db, ['admin']),
  }, async (request, reply) => {
    const { actor } = authOf(request);
    const { owner, ...rest } = request.body;
    const ownerId = await resolveOwner(db, owner, actor.ownerIds);
    if (ownerId === null) throw unknownOwner(owner);
    return reply.code(201).send(await createIntegration(db, { ownerId, ...rest }));
  });

  api.get('/api/admin/integrations', {
    schema: {
      ...guarded,
      summary: 'List the integrations of your owners, or of one (admin); never their secrets',
      querystring: z.object({ owner: Id.optional().describe('An owner’s id or code') }),
      response: { 200: z.object({ integrations: z.array(Integration) }), 400: Failure, 401: Failure, 403: Failure },
    },
    onRequest: requireUser(db, ['admin']),
  }, async (request) => {
    const { actor } = authOf(request);
    const { owner } = request.query;
    let ownerId: string | undefined;
    if (owner !== undefined) {
      ownerId = (await resolveOwner(db, owner, actor.ownerIds)) ?? undefined;
      if (ownerId === undefined) throw unknownOwner(owner);
    }
    return { integrations: await listIntegrations(db, actor.ownerIds, ownerId) };
  });

  api.post('/api/admin/integrations/:id/rotate', {
    schema: {
      ...guarded,
      summary: 'Replace an integration’s secret (admin): a new api key, shown once, or the shop’s new webhook secret; the old one works for graceHours more',
      params: z.object({ id: Id }),
      // A request without a body (Fastify reads it as null) takes the defaults.
      body: RotateRequest.nullish(),
      response: { 200: Issued, 400: Failure, 401: Failure, 403: Failure, 404: Failure, 409: Failure },
    },
    onRequest: requireUser(db, ['admin']),
  }, async (request) => {
    const { actor } = authOf(request);
    const { graceHours, webhookSecret } = request.body ?? RotateRequest.parse({});
    return rotateIntegration(db, { id: request.params.id, graceHours, webhookSecret }, actor.ownerIds);
  });

  api.post('/api/admin/integrations/:id/revoke', {
    schema: {
      ...guarded,
      summary: 'Revoke an integration (admin): every one of its secrets stops working at once',
      params: z.object({ id: Id }),
      response: { 200: z.object({ integration: Integration }), 401: Failure, 403: Failure, 404: Failure },
    },
    onRequest: requireUser(db, ['admin']),
  }, async (request) => {
    const { actor } = authOf(request);
    return { integration: await revokeIntegration(db, request.params.id, actor.ownerIds) };
  });
}

