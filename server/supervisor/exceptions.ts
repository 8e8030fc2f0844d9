// What needs a supervisor, in one list: short picks, rejected mutations, orders on hold or
// backordered, orders cancelled or changed after picking, and store notices failing; each with the
// action that resolves it and who resolved it. Settling what has no state of its own (a short pick
// counted, a rejection handled, a notice retried) is an `exception_resolutions` row (migration 019).
import type { FloorException, ResolveException } from '../../src/domain/supervisor-floor';
import type { Queryable } from '../db/index';
import { listUndelivered } from '../fulfillment/outbox';

/** Most exceptions of one kind a listing answers. */
export const MAX_PER_KIND = 200;
/** Settled exceptions stay listed this long under `recent`. */
const RECENT = `interval '24 hours'`;

export interface ExceptionScope {
  ownerIds: readonly string[] | null;
  /** One owner's id, within `ownerIds`. */
  ownerId: string | null;
  state: 'open' | 'recent';
}

const iso = (value: Date | string) => new Date(value).toISOString();

const blank = {
  ownerId: null, orderId: null, orderNumber: null, pickListId: null, pickListNumber: null, sku: null, binCode: null, qty: null,
  reason: null, message: null, userName: null, deviceId: null, resolved: null,
} satisfies Partial<FloorException>;

/**
 * A rejection a supervisor of `$1` may see: one on a pick line of their owners, or one by a user
 * limited to their owners (a rejection's message is about its user's goods). `u` is its user, `p`
 * its pick line; SQL, for the listing and the resolving alike.
 */
const REJECTION_IN_SCOPE = `($1::text[] is null or p.owner_id = any($1::text[]) or (p.id is null and u.owner_ids is not null and u.owner_ids <@ $1::text[]))`;

export async function listExceptions(db: Queryable, scope: ExceptionScope): Promise<FloorException[]> {
  const params = [scope.ownerIds, scope.ownerId, scope.state === 'recent', MAX_PER_KIND];
  /** Unresolved, or resolved within RECENT when `recent`; `column` is when it was resolved. */
  const shown = (column: string) => `(${column} is null or ($3::boolean and ${column} > now() - ${RECENT}))`;
  const out: FloorException[] = [];

  const shorts = await db.query<{
    id: string; owner_id: string; order_id: string; order_number: string; pick_list_id: string; list_number: string; sku: string; code: string;
    short_qty: number; short_reason: string | null; short_at: Date | null; list_created_at: string; by_name: string | null; device_id: string | null; resolved_at: Date | null; resolved_name: string | null;
  }>(
    `select p.id, p.owner_id, p.order_id, o.number as order_number, p.pick_list_id, l.number as list_number, pr.sku, loc.code,
            p.short_qty, p.short_reason, s.created_at as short_at, l.created_at as list_created_at, su.display_name as by_name, s.device_id,
            er.resolved_at, ru.display_name as resolved_name
     from pick_lines p
     join pick_lists l on l.id = p.pick_list_id join orders o on o.id = p.order_id
     join products pr on pr.id = p.product_id join locations loc on loc.id = p.location_id
     left join lateral (
       select r.created_at, r.user_id, r.device_id from mutation_results r
       where r.args->>'pickLineId' = p.id and r.type = 'short-pick' and r.status = 'applied' order by r.created_at desc limit 1
     ) s on true
     left join users su on su.id = s.user_id
     left join exception_resolutions er on er.kind = 'short_pick' and er.ref = p.id
     left join users ru on ru.id = er.resolved_by
     where p.short_qty > 0 and ($1::text[] is null or p.owner_id = any($1::text[])) and ($2::text is null or p.owner_id = $2)
       and ${shown('er.resolved_at')}
     order by er.resolved_at is null desc, s.created_at desc nulls last limit $4`,
    params,
  );
  for (const r of shorts.rows) {
    out.push({
      ...blank, id: `short_pick:${r.id}`, kind: 'short_pick', ref: r.id, ownerId: r.owner_id, at: iso(r.short_at ?? r.list_created_at), orderId: r.order_id, orderNumber: r.order_number,
      pickListId: r.pick_list_id, pickListNumber: r.list_number, sku: r.sku, binCode: r.code, qty: r.short_qty, reason: r.short_reason, userName: r.by_name,
      deviceId: r.device_id, actions: r.resolved_at ? [] : ['mark-counted'], resolved: r.resolved_at ? { by: r.resolved_name, at: iso(r.resolved_at) } : null,
    });
  }

  const rejections = await db.query<{
    device_id: string; seq: string; type: string; code: string | null; message: string | null; created_at: Date; user_name: string | null;
    owner_id: string | null; pick_list_id: string | null; list_number: string | null; list_status: string | null; sku: string | null; bin: string | null;
    qty: number | null; resolved_at: Date | null; resolved_name: string | null;
  }>(
    `select r.device_id, r.seq::text, r.type, r.code, r.message, r.created_at, u.display_name as user_name,
            p.owner_id, p.pick_list_id, l.number as list_number, l.status as list_status, pr.sku, loc.code as bin,
            case when r.args->>'qty' ~ '^[0-9]{1,9}$' then (r.args->>'qty')::int end as qty,
            er.resolved_at, ru.display_name as resolved_name
     from mutation_results r
     left join users u on u.id = r.user_id
     left join pick_lines p on p.id = r.args->>'pickLineId'
     left join pick_lists l on l.id = p.pick_list_id
     left join products pr on pr.id = p.product_id left join locations loc on loc.id = p.location_id
     left join exception_resolutions er on er.kind = 'rejected_mutation' and er.ref = r.device_id || '/' || r.seq
     left join users ru on ru.id = er.resolved_by
     where r.status = 'rejected' and ${REJECTION_IN_SCOPE}
       and ($2::text is null or p.owner_id = $2 or (p.id is null and $2 = any(u.owner_ids)))
       and ${shown('er.resolved_at')}
     order by er.resolved_at is null desc, r.created_at desc limit $4`,
    params,
  );
  for (const r of rejections.rows) {
    const ref = `${r.device_id}/${r.seq}`;
    const listOpen = r.list_status !== null && r.list_status !== 'done' && r.list_status !== 'cancelled';
    out.push({
      ...blank, id: `rejected_mutation:${ref}`, kind: 'rejected_mutation', ref, ownerId: r.owner_id, at: iso(r.created_at), pickListId: r.pick_list_id,
      pickListNumber: r.list_number, sku: r.sku, binCode: r.bin, qty: r.qty, reason: r.code, message: r.message, userName: r.user_name, deviceId: r.device_id,
      actions: r.resolved_at ? [] : listOpen ? ['mark-handled', 'reassign'] : ['mark-handled'],
      resolved: r.resolved_at ? { by: r.resolved_name, at: iso(r.resolved_at) } : null,
    });
  }

  // A short-packed order waits on hold with its exception row: listed once, as that exception.
  const held = await db.query<{ id: string; owner_id: string; number: string; status: string; hold_reason: string | null; received_at: Date }>(
    `select o.id, o.owner_id, o.number, o.status, o.hold_reason, o.received_at from orders o
     where o.status in ('on_hold', 'backordered') and o.hold_reason is distinct from 'SHORT_PACKED'
       and ($1::text[] is null or o.owner_id = any($1::text[])) and ($2::text is null or o.owner_id = $2)
     order by o.received_at desc limit $3`,
    [scope.ownerIds, scope.ownerId, MAX_PER_KIND],
  );
  for (const o of held.rows) {
    const onHold = o.status === 'on_hold';
    out.push({
      ...blank, id: `order:${o.id}`, kind: onHold ? 'order_on_hold' : 'order_backordered', ref: o.id, ownerId: o.owner_id, at: iso(o.received_at),
      orderId: o.id, orderNumber: o.number, reason: onHold ? o.hold_reason : 'BACKORDERED', actions: onHold ? ['release'] : [],
    });
  }

  const orderExceptions = await db.query<{ id: string; owner_id: string; order_id: string; number: string; kind: 'cancelled_after_pick' | 'changed_after_pick' | 'short_packed'; created_at: Date; resolved_at: Date | null; resolved_name: string | null }>(
    `select e.id::text, e.owner_id, e.order_id, o.number, e.kind, e.created_at, e.resolved_at, ru.display_name as resolved_name
     from order_exceptions e join orders o on o.id = e.order_id left join users ru on ru.id = e.resolved_by
     where ($1::text[] is null or e.owner_id = any($1::text[])) and ($2::text is null or e.owner_id = $2)
       and ${shown('e.resolved_at')}
     order by e.resolved_at is null desc, e.id desc limit $4`,
    params,
  );
  for (const e of orderExceptions.rows) {
    const open = e.resolved_at === null;
    out.push({
      ...blank, id: `${e.kind}:${e.id}`, kind: e.kind, ref: e.id, ownerId: e.owner_id, at: iso(e.created_at), orderId: e.order_id, orderNumber: e.number,
      reason: e.kind.toUpperCase(), actions: !open ? [] : e.kind === 'short_packed' ? ['release'] : ['mark-handled'],
      resolved: open ? null : { by: e.resolved_name, at: iso(e.resolved_at!) },
    });
  }

  const notices = (await listUndelivered(db, scope.ownerIds, { failing: true })).filter((n) => scope.ownerId === null || n.ownerId === scope.ownerId);
  const retried = await db.query<{ ref: string; resolved_at: Date; display_name: string | null }>(
    `select er.ref, er.resolved_at, u.display_name from exception_resolutions er left join users u on u.id = er.resolved_by
     where er.kind = 'notice_retry' and er.ref = any($1::text[])`,
    [notices.map((n) => n.id)],
  );
  const retriedBy = new Map(retried.rows.map((r) => [r.ref, { by: r.display_name, at: iso(r.resolved_at) }]));
  for (const n of notices.slice(0, MAX_PER_KIND)) {
    out.push({
      ...blank, id: `notice_failing:${n.id}`, kind: 'notice_failing', ref: n.id, ownerId: n.ownerId, at: n.createdAt, orderId: n.orderId, orderNumber: n.orderNumber,
      reason: n.lastStatus === null ? 'NO_ANSWER' : `HTTP_${n.lastStatus}`, message: n.lastError, actions: ['retry'],
      // Retried is not resolved: the notice stays listed until the store takes it; this says who tried.
      resolved: retriedBy.get(n.id) ?? null,
    });
  }
  return out.sort((a, b) => Number(a.resolved !== null && a.kind !== 'notice_failing') - Number(b.resolved !== null && b.kind !== 'notice_failing') || b.at.localeCompare(a.at));
}

/** Who resolved an exception and when; null when `ownerIds` holds no such exception. */
export async function resolveException(
  tx: Queryable,
  ownerIds: readonly string[] | null,
  userId: string,
  request: ResolveException,
): Promise<{ by: string | null; at: string; ownerId: string | null } | null> {
  const { kind, ref } = request;
  let ownerId: string | null;
  if (kind === 'short_pick') {
    const { rows } = await tx.query<{ owner_id: string }>(
      'select owner_id from pick_lines where id = $1 and short_qty > 0 and ($2::text[] is null or owner_id = any($2::text[]))',
      [ref, ownerIds],
    );
    if (!rows[0]) return null;
    ownerId = rows[0].owner_id;
  } else if (kind === 'rejected_mutation') {
    const match = /^(.+)\/(\d{1,18})$/.exec(ref);
    if (!match) return null;
    const { rows } = await tx.query<{ owner_id: string | null }>(
      `select p.owner_id from mutation_results r left join users u on u.id = r.user_id left join pick_lines p on p.id = r.args->>'pickLineId'
       where r.device_id = $2 and r.seq = $3::bigint and r.status = 'rejected' and ${REJECTION_IN_SCOPE}`,
      [ownerIds, match[1], match[2]],
    );
    if (!rows[0]) return null;
    ownerId = rows[0].owner_id;
  } else {
    // An order exception carries who resolved it on its own row; the first to resolve it is kept.
    const { rows } = await tx.query<{ owner_id: string; resolved_at: Date | null }>(
      `select owner_id, resolved_at from order_exceptions where id::text = $1 and kind = $2 and ($3::text[] is null or owner_id = any($3::text[])) for update`,
      [ref, kind, ownerIds],
    );
    if (!rows[0]) return null;
    if (rows[0].resolved_at === null) await tx.query('update order_exceptions set resolved_at = now(), resolved_by = $2 where id::text = $1', [ref, userId]);
    const { rows: after } = await tx.query<{ resolved_at: Date; display_name: string | null }>(
      'select e.resolved_at, u.display_name from order_exceptions e left join users u on u.id = e.resolved_by where e.id::text = $1',
      [ref],
    );
    return { by: after[0]!.display_name, at: iso(after[0]!.resolved_at), ownerId: rows[0].owner_id };
  }
  await tx.query(
    `insert into exception_resolutions (kind, ref, owner_id, resolved_by) values ($1, $2, $3, $4) on conflict (kind, ref) do nothing`,
    [kind, ref, ownerId, userId],
  );
  return resolutionOf(tx, kind, ref, ownerId);
}

async function resolutionOf(tx: Queryable, kind: string, ref: string, ownerId: string | null) {
  const { rows } = await tx.query<{ resolved_at: Date; display_name: string | null }>(
    'select er.resolved_at, u.display_name from exception_resolutions er left join users u on u.id = er.resolved_by where er.kind = $1 and er.ref = $2',
    [kind, ref],
  );
  return { by: rows[0]!.display_name, at: iso(rows[0]!.resolved_at), ownerId };
}

/**
 * Makes a pending notice of `ownerIds` due now and notes who asked; null when there is none. A
 * send already under way may go again: its Idempotency-Key makes the store take it once.
 */
export async function retryNotice(tx: Queryable, ownerIds: readonly string[] | null, userId: string, id: string) {
  const { rows } = await tx.query<{ owner_id: string; status: string }>(
    `select owner_id, status from fulfillment_notices where id::text = $1 and ($2::text[] is null or owner_id = any($2::text[])) for update`,
    [id, ownerIds],
  );
  const notice = rows[0];
  if (!notice) return null;
  if (notice.status !== 'pending') return { status: notice.status, ownerId: notice.owner_id, resolved: null };
  await tx.query('update fulfillment_notices set next_attempt_at = now() where id::text = $1', [id]);
  await tx.query(
    `insert into exception_resolutions (kind, ref, owner_id, resolved_by) values ('notice_retry', $1, $2, $3)
     on conflict (kind, ref) do update set resolved_by = excluded.resolved_by, resolved_at = now()`,
    [id, notice.owner_id, userId],
  );
  return { status: notice.status, ownerId: notice.owner_id, resolved: await resolutionOf(tx, 'notice_retry', id, notice.owner_id) };
}

