// Telling stores what shipped (issue 14): an admin sets an integration's fulfillment callback, and
// supervisors see the notices a store has not acknowledged. Both scoped by the caller's owners;
// anyone else's integration is "not found".
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../src/domain/text';
import type { Db } from '../db/index';
import { CallbackAnswer, CallbackRequest, setFulfillmentCallback } from '../fulfillment/callbacks';
import type { NoticeRunner } from '../fulfillment/notice-runner';
import { listUndelivered } from '../fulfillment/outbox';
import { authOf, requireUser } from './guard';

const Failure = z.object({ error: z.string(), message: z.string() });

const UndeliveredNotice = z.object({
  id: z.string(),
  ownerId: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  integrationId: z.string(),
  integrationName: z.string(),
  idempotencyKey: z.string(),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable().describe('The receiver’s last HTTP status; null when it never answered'),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string(),
  createdAt: z.string(),
});

export async function registerFulfillmentRoutes(app: FastifyInstance, db: Db, runner: NoticeRunner): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.put('/api/admin/integrations/:id/fulfillment-callback', {
    schema: {
      summary: 'Set or clear where an integration is told of shipments (admin); an api integration’s signing secret is shown once, when first set',
      tags: ['admin'],
      security: [{ bearer: [] }],
      params: z.object({ id: Id }),
      body: CallbackRequest,
      response: { 200: CallbackAnswer, 400: Failure, 401: Failure, 403: Failure, 404: Failure, 409: Failure },
    },
    onRequest: requireUser(db, ['admin']),
  }, async (request) => {
    const { actor } = authOf(request);
    const answer = await setFulfillmentCallback(db, request.params.id, request.body, actor.ownerIds);
    // Notices that waited for a working URL go now.
    if (answer.url !== null) runner.request();
    return answer;
  });

  api.get('/api/supervisor/fulfillment-notices', {
    schema: {
      summary: 'Shipment notices a store has not acknowledged (supervisor, admin): failing = undelivered for over an hour; pending = all',
      tags: ['supervisor'],
      security: [{ bearer: [] }],
      querystring: z.object({ state: z.enum(['failing', 'pending']).default('failing') }),
      response: { 200: z.object({ notices: z.array(UndeliveredNotice) }), 400: Failure, 401: Failure, 403: Failure },
    },
    onRequest: requireUser(db, ['supervisor', 'admin']),
  }, async (request) => {
    const { actor } = authOf(request);
    return { notices: await listUndelivered(db, actor.ownerIds, { failing: request.query.state === 'failing' }) };
  });
}
