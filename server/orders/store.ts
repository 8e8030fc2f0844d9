// The server's side of an order: the intake record beside the synced row, and the writes that
// keep devices in step. An order reaches devices (the feed) once it is allocated, and leaves them
// when it is cancelled, held or taken off its lists; before that it is the server's alone.
import type { Order, OrderStatus, PickLine, PickList } from '../../src/domain';
import type { HoldReason, ShipTo } from '../../src/domain/order-intake';
import type { Queryable } from '../db/index';
import { fromSql, publish, publishWhere } from '../db/tables';
import { recordOrderStatus } from '../floor/floor-events';

/** An order as intake, the REST API and supervisors see it. */
export interface OrderRecord {
  id: string;
  ownerId: string;
  number: string;
  source: Order['source'];
  status: OrderStatus;
  externalId: string | null;
  customerName: string;
  orderedAt: string;
  shipBy: string | null;
  shippingMethod: string | null;
  express: boolean;
  shipTo: ShipTo | null;
  holdReason: HoldReason | null;
  holdDetails: unknown;
  shortfall: unknown;
  sourceUpdatedAt: string | null;
  contentHash: string | null;
  receivedAt: string;
  cancelledAt: string | null;
}

export interface OrderLineRecord {
  id: string;
  lineNo: number;
  productId: string | null;
  sku: string | null;
  barcode: string | null;
  name: string | null;
  externalId: string | null;
  qty: number;
  pickedQty: number;
  packedQty: number;
  requiresShipping: boolean;
}

type Row = Record<string, unknown>;
const iso = (value: unknown): string | null => (value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString());

export function orderRecord(row: Row): OrderRecord {
  return {
    id: row.id as string,
    ownerId: row.owner_id as string,
    number: row.number as string,
    source: row.source as Order['source'],
    status: row.status as OrderStatus,
    externalId: (row.external_id as string | null) ?? null,
    customerName: row.customer_name as string,
    orderedAt: row.created_at as string,
    shipBy: (row.ship_by as string | null) ?? null,
    shippingMethod: (row.shipping_method as string | null) ?? null,
    express: row.express === true,
    shipTo: (row.ship_to as ShipTo | null) ?? null,
    holdReason: (row.hold_reason as HoldReason | null) ?? null,
    holdDetails: row.hold_details ?? null,
    shortfall: row.shortfall ?? null,
    sourceUpdatedAt: iso(row.source_updated_at),
    contentHash: (row.content_hash as string | null) ?? null,
    receivedAt: iso(row.received_at)!,
    cancelledAt: iso(row.cancelled_at),
  };
}

export function orderLineRecord(row: Row): OrderLineRecord {
  return {
    id: row.id as string,
    lineNo: (row.line_no as number | null) ?? 0,
    productId: (row.product_id as string | null) ?? null,
    sku: (row.sku as string | null) ?? null,
    barcode: (row.barcode as string | null) ?? null,
    name: (row.name as string | null) ?? null,
    externalId: (row.external_id as string | null) ?? null,
    qty: row.qty as number,
    pickedQty: row.picked_qty as number,
    packedQty: row.packed_qty as number,
    requiresShipping: row.requires_shipping !== false,
  };
}

/** The order, locked for this transaction, if it belongs to one of `ownerIds` (null: any owner). */
export async function lockOrder(tx: Queryable, id: string, ownerIds: readonly string[] | null): Promise<OrderRecord | null> {
  const { rows } = await tx.query('select * from orders where id = $1 and ($2::text[] is null or owner_id = any($2::text[])) for update', [id, ownerIds]);
  return rows[0] ? orderRecord(rows[0]) : null;
}

export async function orderLines(tx: Queryable, orderId: string): Promise<OrderLineRecord[]> {
  const { rows } = await tx.query('select * from order_lines where order_id = $1 order by line_no, id', [orderId]);
  return rows.map(orderLineRecord);
}

/** Statuses in which devices hold the order (it was allocated, and is not cancelled or waiting again). */
const ON_DEVICES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['allocated', 'picking', 'picked', 'packed', 'shipped']);

export const isOnDevices = (status: OrderStatus): boolean => ON_DEVICES.has(status);

/**
 * Sets an order's status and keeps the feed in step: an order arriving on devices is published
 * with its lines, one leaving them is deleted with its lines.
 */
export async function setOrderStatus(tx: Queryable, order: OrderRecord, status: OrderStatus, extra: { holdReason?: HoldReason | null; holdDetails?: unknown; cancelled?: boolean } = {}): Promise<void> {
  await tx.query(
    `update orders set status = $2,
       hold_reason = case when $3::boolean then $4 else hold_reason end,
       hold_details = case when $3::boolean then $5::jsonb else hold_details end,
       cancelled_at = case when $6::boolean then now() else cancelled_at end,
       shortfall = null
     where id = $1`,
    [order.id, status, 'holdReason' in extra, extra.holdReason ?? null, JSON.stringify(extra.holdDetails ?? null), extra.cancelled === true],
  );
  if (status !== order.status) await recordOrderStatus(tx, order, status);
  const was = isOnDevices(order.status);
  const now = isOnDevices(status);
  if (now) await publishOrder(tx, order.id);
  else if (was) {
    await publish(tx, 'orders', order.id, order.ownerId, null);
    const { rows } = await tx.query<{ id: string }>('select id from order_lines where order_id = $1', [order.id]);
    for (const line of rows) await publish(tx, 'orderLines', line.id, order.ownerId, null);
  }
}

/** Publishes orders' synced rows and their lines as they stand in SQL. */
export async function publishOrders(tx: Queryable, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await publishWhere(tx, 'orders', 'id = any($1::text[])', [orderIds]);
  await publishWhere(tx, 'orderLines', 'order_id = any($1::text[])', [orderIds]);
}

export const publishOrder = (tx: Queryable, orderId: string): Promise<void> => publishOrders(tx, [orderId]);

/** What taking an order off its pick lists found. */
export interface Deallocation {
  /** Units already picked (or packed) per line: a person must bring them back to stock. */
  picked: { pickLineId: string; productId: string; lot: string | null; qty: number; stagingLocationId: string }[];
  /** The lists that changed, and their status after. */
  lists: { id: string; status: PickList['status'] }[];
}

/**
 * Takes an order off its pick lists: its lines not yet finished are cancelled (devices delete
 * them; a pick of one, made offline, is refused with the reason), and a list left with nothing to
 * do is cancelled or done. Units already picked stay where they are and are reported.
 */
export async function deallocate(tx: Queryable, orderId: string): Promise<Deallocation> {
  const { rows } = await tx.query(
    `select p.*, l.staging_location_id from pick_lines p join pick_lists l on l.id = p.pick_list_id
     where p.order_id = $1 and l.status <> 'cancelled' order by p.pick_list_id, p.id for update of p, l`,
    [orderId],
  );
  const picked: Deallocation['picked'] = [];
  const touched = new Set<string>();
  for (const row of rows) {
    const line = fromSql('pickLines', row) as PickLine;
    if (line.pickedQty > 0) {
      picked.push({ pickLineId: line.id, productId: line.productId, lot: line.lot, qty: line.pickedQty, stagingLocationId: row.staging_location_id as string });
    }
    if (line.status === 'cancelled') continue;
    if (line.status === 'open' || line.pickedQty > 0) {
      await tx.query(`update pick_lines set status = 'cancelled' where id = $1`, [line.id]);
      await publish(tx, 'pickLines', line.id, line.ownerId, null);
      touched.add(line.pickListId);
    }
  }
  const lists: Deallocation['lists'] = [];
  for (const listId of touched) lists.push({ id: listId, status: await settleListStatus(tx, listId) });
  return { picked, lists };
}

/**
 * A list's status once lines left it: cancelled when none of its lines were worked, done when
 * every remaining line is finished; published (or deleted from devices) to match.
 */
async function settleListStatus(tx: Queryable, listId: string): Promise<PickList['status']> {
  const { rows } = await tx.query('select * from pick_lists where id = $1', [listId]);
  const list = fromSql('pickLists', rows[0]!) as PickList;
  const counts = await tx.query<{ open: number; worked: number }>(
    `select count(*) filter (where status = 'open')::int as open,
            count(*) filter (where status <> 'cancelled' or picked_qty > 0 or short_qty > 0)::int as worked
     from pick_lines where pick_list_id = $1`,
    [listId],
  );
  const { open, worked } = counts.rows[0]!;
  let status = list.status;
  if (worked === 0) status = 'cancelled';
  else if (open === 0 && list.status !== 'held') status = 'done';
  if (status === list.status) return status;
  await tx.query('update pick_lists set status = $2 where id = $1', [listId, status]);
  await publish(tx, 'pickLists', listId, list.ownerId, status === 'cancelled' ? null : { ...list, status });
  return status;
}
