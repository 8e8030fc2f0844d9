// Writing the supervisors' live feed (migration 018): one floor_events row per thing that happened,
// in the transaction that did it, with a notification every API server hears once it commits
// (server/floor/floor-feed.ts reads the rows and streams them). Events name ids, never goods.
import type { Actor, Effect, ParsedMutation } from '../../src/domain';
import type { FloorEventKind, FloorEventPayload } from '../../src/domain/floor-events';
import type { Queryable } from '../db/index';

/**
 * The notification channel of the schema the server works in (tests and benches give each run its
 * own), cut to PostgreSQL's 63 bytes: `pg_notify` refuses a longer name, which would fail the push.
 */
export const CHANNEL_SQL = `left('floor_events:' || current_schema(), 63)`;

/** How long events are kept: a stream that was away longer is told to reload (`reset`). */
export const KEEP_HOURS = 24;

export interface FloorEventRow {
  kind: FloorEventKind;
  /** The owner whose goods it is about; null for a device or a user. */
  ownerId: string | null;
  /** For an event without an owner: the owners of the device's user (null: every owner). */
  deviceOwnerIds: readonly string[] | null;
  payload: object;
}

const INSERT = `insert into floor_events (owner_id, device_owner_ids, kind, payload) values ($1, $2::text[], $3, $4::jsonb)
  returning pg_notify(${CHANNEL_SQL}, id::text)`;

/** Writes one event in `tx`; its notification is delivered when `tx` commits, and never if it rolls back. */
export async function recordFloorEvent(tx: Queryable, event: FloorEventRow): Promise<void> {
  await tx.query(INSERT, [event.ownerId, event.deviceOwnerIds, event.kind, JSON.stringify(event.payload)]);
}

/** The argument fields an applied mutation's event repeats: ids and a quantity. */
const ARGUMENT_IDS = ['pickLineId', 'orderId', 'receiptId', 'returnId', 'productId', 'locationId'] as const;

/**
 * The event of a mutation applied: the owner is that of its effects (every stock change and
 * document row carries one), so supervisors of that owner see it.
 */
export function mutationAppliedEvent(actor: Actor, seq: number, mutation: ParsedMutation, effects: readonly Effect[]): FloorEventRow {
  const args = mutation.args as Record<string, unknown>;
  const payload: FloorEventPayload<'mutation-applied'> = { type: mutation.type, deviceId: actor.deviceId, userId: actor.userId, seq };
  for (const field of ARGUMENT_IDS) {
    if (typeof args[field] === 'string') payload[field] = args[field];
  }
  if (typeof args.qty === 'number') payload.qty = args.qty;
  let ownerId: string | null = null;
  for (const effect of effects) {
    const row = effect.kind === 'put' ? (effect.row as Record<string, unknown>) : null;
    ownerId ??= effect.kind === 'stock' ? effect.ownerId : typeof row?.ownerId === 'string' ? row.ownerId : null;
    if (effect.kind === 'put' && effect.table === 'pickLines' && typeof row?.pickListId === 'string') {
      payload.pickListId = row.pickListId;
      if (typeof row.orderId === 'string') payload.orderId ??= row.orderId;
    }
  }
  return { kind: 'mutation-applied', ownerId, deviceOwnerIds: ownerId === null ? actor.ownerIds : null, payload };
}

/** The event of a mutation stored as rejected: about the device, seen as its devices are. */
export function mutationRejectedEvent(actor: Actor, result: { seq: number; type: string; code: string | null }): FloorEventRow {
  const payload: FloorEventPayload<'mutation-rejected'> = { type: result.type, deviceId: actor.deviceId, userId: actor.userId, seq: result.seq, code: result.code };
  return { kind: 'mutation-rejected', ownerId: null, deviceOwnerIds: actor.ownerIds, payload };
}

/** Writes an order's status change (intake, allocation, a supervisor's release). */
export async function recordOrderStatus(tx: Queryable, order: { id: string; ownerId: string; status: string }, status: string): Promise<void> {
  const payload: FloorEventPayload<'order-status'> = { orderId: order.id, status, previousStatus: order.status };
  await recordFloorEvent(tx, { kind: 'order-status', ownerId: order.ownerId, deviceOwnerIds: null, payload });
}

/**
 * Writes an order-status event for each of `orderIds` not already `status` (allocation's batch), in
 * one statement; call it before the orders are updated, so each names the status it leaves.
 */
export async function recordOrdersStatus(tx: Queryable, orderIds: readonly string[], status: string): Promise<void> {
  if (orderIds.length === 0) return;
  await tx.query(
    `insert into floor_events (owner_id, kind, payload)
     select owner_id, 'order-status', jsonb_build_object('orderId', id, 'status', $2::text, 'previousStatus', status)
     from orders where id = any($1::text[]) and status <> $2 order by id
     returning pg_notify(${CHANNEL_SQL}, id::text)`,
    [orderIds, status],
  );
}

/**
 * SQL (a data-modifying CTE's body) writing a device-health event for each row of `changed`, a CTE
 * of the devices rows just updated (id, user_id, pending_count, push_failing_since).
 */
export const DEVICE_HEALTH_EVENT_SQL = (changed: string) => `insert into floor_events (device_owner_ids, kind, payload)
  select u.owner_ids, 'device-health', jsonb_build_object('deviceId', c.id, 'userId', c.user_id,
    'pendingCount', c.pending_count, 'pushFailing', c.push_failing_since is not null)
  from ${changed} c left join users u on u.id = c.user_id
  returning pg_notify(${CHANNEL_SQL}, id::text)`;

/** Rows pruned per statement, oldest first, so a prune never holds a long transaction. */
const PRUNE_BATCH = 5000;

/**
 * Deletes events older than KEEP_HOURS, oldest first by id (which follows time closely enough),
 * never the newest row: a stream's position must stay a row that can be looked up.
 */
export async function pruneFloorEvents(db: Queryable): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      `with oldest as (select id from floor_events order by id limit $1),
            gone as (
              delete from floor_events where id in (select id from oldest)
                and created_at < now() - $2::int * interval '1 hour'
                and id < (select max(id) from floor_events)
              returning 1)
       select count(*)::int as n from gone`,
      [PRUNE_BATCH, KEEP_HOURS],
    );
    const deleted = rows[0]?.n ?? 0;
    total += deleted;
    if (deleted < PRUNE_BATCH) return total;
  }
}
