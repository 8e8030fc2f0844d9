// The fulfillment outbox: a notice for the store, written in the transaction that ships the order
// (server/sync/push.ts), so a shipment the floor saw confirmed is always told and a rolled-back
// one never is. The delivery worker (notice-runner.ts) sends it after the commit.
import type { Queryable } from '../db/index';

/**
 * The notice's body, in the shape of a Shopify fulfillment. Ids are the store's own, as decimal
 * strings (Shopify's are 64-bit: a JSON number would lose digits); null for an order or line the
 * store gave no id (its order_number still names it).
 */
export interface FulfillmentPayload {
  order_id: string | null;
  order_number: string;
  tracking_number: string;
  tracking_company: string;
  line_items: { id: string | null; quantity: number }[];
  /** When the order was shipped, ISO 8601 in UTC. */
  shipped_at: string;
}

/**
 * One statement (a push's cost is its round trips): the notice for the order's shipment, when the
 * integration the order came in through is live and has a callback. Nothing otherwise: an order
 * from a CSV file or an admin has no store to tell. A shipment already noticed adds nothing.
 */
const ENQUEUE = `
  insert into fulfillment_notices (owner_id, order_id, integration_id, idempotency_key, payload)
  select o.owner_id, o.id, i.id, 'shipment:' || s.id,
    jsonb_build_object(
      'order_id', o.external_id,
      'order_number', o.number,
      'tracking_number', s.tracking_number,
      'tracking_company', s.carrier,
      'line_items', (
        select coalesce(jsonb_agg(jsonb_build_object('id', l.external_id, 'quantity', l.packed_qty) order by l.line_no, l.id), '[]'::jsonb)
        from order_lines l where l.order_id = o.id and l.packed_qty > 0
      ),
      'shipped_at', s.shipped_at)
  from orders o
  join integrations i on i.id = o.integration_id and i.owner_id = o.owner_id
  join shipments s on s.order_id = o.id
  where o.id = $1 and i.revoked_at is null and i.fulfillment_callback_url is not null
  on conflict (idempotency_key) do nothing
  returning id`;

/** Writes the notice for `orderId`'s shipment inside `tx`; answers whether one was written. */
export async function enqueueFulfillment(tx: Queryable, orderId: string): Promise<boolean> {
  const { rows } = await tx.query(ENQUEUE, [orderId]);
  return rows.length > 0;
}

/** How long a notice may stay undelivered before supervisors see it as failing. */
export const FAILING_AFTER_MS = 60 * 60 * 1000;

/** Most notices one listing answers. */
const MAX_LISTED = 500;

export interface UndeliveredNotice {
  id: string;
  ownerId: string;
  orderId: string;
  orderNumber: string;
  integrationId: string;
  integrationName: string;
  idempotencyKey: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string;
  createdAt: string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/**
 * The undelivered notices of the owners in `scope` (null: every owner), oldest first; with
 * `failing`, only those undelivered for longer than FAILING_AFTER_MS by the database's clock.
 */
export async function listUndelivered(db: Queryable, scope: readonly string[] | null, options: { failing: boolean }): Promise<UndeliveredNotice[]> {
  const { rows } = await db.query<{
    id: string; owner_id: string; order_id: string; number: string; integration_id: string; name: string; idempotency_key: string;
    attempts: number; last_status: number | null; last_error: string | null; last_attempt_at: Date | null; next_attempt_at: Date; created_at: Date;
  }>(
    `select n.id::text as id, n.owner_id, n.order_id, o.number, n.integration_id, i.name, n.idempotency_key, n.attempts,
            n.last_status, n.last_error, n.last_attempt_at, n.next_attempt_at, n.created_at
     from fulfillment_notices n join orders o on o.id = n.order_id join integrations i on i.id = n.integration_id
     where n.status = 'pending' and ($1::text[] is null or n.owner_id = any($1::text[]))
       and (not $2 or n.created_at < now() - make_interval(secs => $3::int))
     order by n.created_at, n.id limit $4`,
    [scope, options.failing, FAILING_AFTER_MS / 1000, MAX_LISTED],
  );
  return rows.map((row) => ({
    id: row.id,
    ownerId: row.owner_id,
    orderId: row.order_id,
    orderNumber: row.number,
    integrationId: row.integration_id,
    integrationName: row.name,
    idempotencyKey: row.idempotency_key,
    attempts: Number(row.attempts),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at === null ? null : iso(row.last_attempt_at),
    nextAttemptAt: iso(row.next_attempt_at),
    createdAt: iso(row.created_at),
  }));
}
