// Shopify's order webhooks (orders/create, orders/updated, orders/cancelled). The signature over
// the raw bytes is checked before anything of the body is parsed; each delivery is taken in once
// (X-Shopify-Webhook-Id), in the same transaction as its effect, so a redelivery — Shopify retries
// for hours — gets the first answer again, and a crash after the answer loses nothing.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { transactionWithRetry, type Db, type Queryable } from '../db/index';
import { verifyShopifyWebhook } from '../integrations/shopify-webhook';
import { IntakeRefused, takeInOrder } from '../orders/intake';
import { parseShopifyBody, shopifyToIntake } from '../orders/shopify';
import { ApiError } from './errors';

/** Largest webhook body taken (an order of 500 lines with Shopify's detail is well below it). */
export const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;

const TOPICS = new Set(['orders/create', 'orders/updated', 'orders/cancelled']);

const Failure = z.object({ error: z.string(), message: z.string() });
const WebhookAnswer = z.object({
  outcome: z.enum(['created', 'updated', 'unchanged', 'stale', 'cancelled', 'exception', 'refused', 'ignored']),
  orderId: z.string().nullable(),
  status: z.string().nullable(),
  message: z.string().optional(),
});
type WebhookAnswer = z.infer<typeof WebhookAnswer>;

const unsigned = () => new ApiError(401, { error: 'UNAUTHORIZED', message: 'The webhook signature (X-Shopify-Hmac-Sha256) is missing or does not match this shop’s secret.' });

function header(value: string | string[] | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export async function registerWebhooks(app: FastifyInstance, db: Db): Promise<void> {
  await app.register(async (scope) => {
    // The signature covers the exact bytes: keep them, parse nothing until it is checked.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

    scope.withTypeProvider<ZodTypeProvider>().post('/api/webhooks/shopify', {
      schema: {
        summary: 'Shopify orders/create, orders/updated and orders/cancelled webhooks, signed with the shop’s webhook secret',
        tags: ['integrations'],
        headers: z.object({
          'x-shopify-hmac-sha256': z.string().max(200).optional(),
          'x-shopify-shop-domain': z.string().max(255).optional(),
          'x-shopify-topic': z.string().max(100).optional(),
          'x-shopify-webhook-id': z.string().max(200).optional(),
        }),
        response: { 200: WebhookAnswer, 400: Failure, 401: Failure, 413: Failure, 422: Failure },
      },
      // Signed, not signed in: the HMAC is the authentication. The body is bytes, checked below.
      config: { public: true, ownBodyTextCheck: true },
      bodyLimit: WEBHOOK_BODY_LIMIT,
      onRequest: async (request) => {
        // Unsigned requests are turned away before their body is read.
        if (!header(request.headers['x-shopify-hmac-sha256']) || !header(request.headers['x-shopify-shop-domain'])) throw unsigned();
      },
    }, async (request) => {
      const rawBody = request.body;
      if (!Buffer.isBuffer(rawBody)) throw unsigned();
      const shop = await verifyShopifyWebhook(db, {
        shopDomain: header(request.headers['x-shopify-shop-domain'])!,
        hmacBase64: header(request.headers['x-shopify-hmac-sha256'])!,
        rawBody,
      });
      if (!shop) throw unsigned();

      const webhookId = header(request.headers['x-shopify-webhook-id']);
      const topic = header(request.headers['x-shopify-topic']);
      if (!webhookId || !/^[\x21-\x7e]{1,200}$/.test(webhookId)) throw new ApiError(400, { error: 'BAD_REQUEST', message: 'X-Shopify-Webhook-Id is missing: it is how a redelivery is recognised.' });
      if (!topic) throw new ApiError(400, { error: 'BAD_REQUEST', message: 'X-Shopify-Topic is missing.' });

      let replayed = false;
      const answer = await transactionWithRetry(db, async (tx): Promise<WebhookAnswer> => {
        // A delivery already taken in (or being taken in by a concurrent request: this waits
        // for it) is answered as it was the first time.
        const claimed = await tx.query(
          `insert into webhook_events (integration_id, webhook_id, topic, status_code, response) values ($1, $2, $3, 0, '{}')
           on conflict do nothing returning 1`,
          [shop.integrationId, webhookId, topic],
        );
        if (claimed.rows.length === 0) {
          const { rows } = await tx.query<{ response: WebhookAnswer }>('select response from webhook_events where integration_id = $1 and webhook_id = $2', [shop.integrationId, webhookId]);
          replayed = true;
          return rows[0]!.response;
        }
        const taken = await takeIn(tx, shop, topic, rawBody);
        // A body that is not an order rolls back: nothing recorded, the same refusal every time.
        if ('refused' in taken) throw new ApiError(taken.refused, { error: taken.refused === 400 ? 'BAD_REQUEST' : 'INVALID_ORDER', message: taken.message });
        await tx.query(
          'update webhook_events set status_code = 200, response = $3::jsonb, order_external_id = $4 where integration_id = $1 and webhook_id = $2',
          [shop.integrationId, webhookId, JSON.stringify(taken.answer), taken.externalId],
        );
        return taken.answer;
      });
      if (answer.orderId) app.allocation.request(shop.ownerId);
      app.metrics.orderTakenIn('shopify', replayed ? 'replayed' : answer.outcome);
      return answer;
    });
  });
}

type Taken = { answer: WebhookAnswer; externalId: string | null } | { refused: 400 | 422; message: string };

/** One delivery's effect, or why its body is refused. */
async function takeIn(tx: Queryable, shop: { integrationId: string; ownerId: string }, topic: string, rawBody: Buffer): Promise<Taken> {
  if (!TOPICS.has(topic)) return { answer: { outcome: 'ignored', orderId: null, status: null, message: `Topic ${topic} is not one Dockhand takes.` }, externalId: null };
  const parsed = parseShopifyBody(rawBody);
  if (!parsed.ok) return { refused: 400, message: `${parsed.message}.` };
  const order = shopifyToIntake(parsed.value);
  if (!order.ok) return { refused: 422, message: `The body is not an order Dockhand can take: ${order.message}` };
  const cancelled = order.cancelled || topic === 'orders/cancelled';
  const externalId = order.intake.externalId;
  try {
    const result = await takeInOrder(tx, { ownerId: shop.ownerId, source: 'shopify', integrationId: shop.integrationId }, order.intake, cancelled);
    return { answer: { outcome: result.outcome, orderId: result.orderId, status: result.status }, externalId };
  } catch (error) {
    // The store's word stands (a cancel after shipping, a number another channel used): answered
    // and recorded, so Shopify stops retrying what no retry can change.
    if (error instanceof IntakeRefused) return { answer: { outcome: 'refused', orderId: null, status: null, message: error.message }, externalId };
    throw error;
  }
}
