// Taking an order in, from any channel: matched to the owner's products, held with its reasons
// when a person must look, replaced by a later version of itself, cancelled. Every function runs
// inside the caller's transaction, so the receipt of an event and its effect commit together.
import { createHash, randomUUID } from 'node:crypto';
import type { Order, OrderStatus } from '../../src/domain';
import { productBarcodeKey } from '../../src/domain/gtin';
import { isExpress, type HoldReason, type IntakeLine, type OrderIntake } from '../../src/domain/order-intake';
import type { Queryable } from '../db/index';
import { publish } from '../db/tables';
import { deallocate, isOnDevices, lockOrder, orderLines, orderRecord, publishOrder, setOrderStatus, type OrderRecord } from './store';

/** Where an order came from. */
export interface IntakeChannel {
  ownerId: string;
  source: Exclude<Order['source'], 'demo'>;
  integrationId: string | null;
}

export type IntakeOutcome =
  /** A new order. */
  | 'created'
  /** A later version replaced the order's content (it is allocated again if it was). */
  | 'updated'
  /** The same content again: nothing changed. */
  | 'unchanged'
  /** An older version than the one held: nothing changed. */
  | 'stale'
  /** Cancelled now. */
  | 'cancelled'
  /** The change came after units were picked: an exception for a supervisor, the lines kept. */
  | 'exception';

export interface IntakeResult {
  orderId: string;
  number: string;
  status: OrderStatus;
  outcome: IntakeOutcome;
  holdReason: HoldReason | null;
}

/** The order cannot be taken in as sent (another channel's order has its number, it has shipped). */
export class IntakeRefused extends Error {
  constructor(readonly code: 'NUMBER_TAKEN' | 'ALREADY_SHIPPED', message: string) {
    super(message);
  }
}

/** A line's problem that holds its order. */
export interface LineProblem {
  code: HoldReason;
  line: number;
  sku: string | null;
  name: string | null;
}

const WAITING: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['open', 'on_hold', 'backordered']);
/** Past these, the order is in a carton or gone: a store's change can no longer reach it. */
const SEALED: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['packed', 'shipped']);

/**
 * Held because its last carton closed short: waiting for a supervisor like any hold, but its units
 * sit in closed cartons, so it is as sealed as a packed order.
 */
const isShortPacked = (order: OrderRecord): boolean => order.status === 'on_hold' && order.holdReason === 'SHORT_PACKED';

/** The order's content (not when it was sent): two deliveries of the same order hash alike. */
export function contentHash(intake: OrderIntake, cancelled: boolean): string {
  const { updatedAt: _sent, ...content } = intake;
  return createHash('sha256').update(JSON.stringify({ ...content, cancelled })).digest('base64url');
}

/**
 * Takes in one version of an order. Idempotent: the same content again changes nothing; of two
 * versions carrying the store's `updatedAt`, the later wins whichever arrives last; a cancelled
 * order stays cancelled. `cancelled` is the store's word that the order is cancelled.
 */
export async function takeInOrder(tx: Queryable, channel: IntakeChannel, intake: OrderIntake, cancelled = false): Promise<IntakeResult> {
  // One intake of an order number at a time, on any API server: the second finds the first's order.
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`order:${channel.ownerId}:${intake.number}`]);
  const found = await tx.query(
    `select * from orders where owner_id = $1 and (number = $2 or (source = $3 and external_id = $4)) for update`,
    [channel.ownerId, intake.number, channel.source, intake.externalId],
  );
  const hash = contentHash(intake, cancelled);
  if (found.rows.length === 0) return createOrder(tx, channel, intake, hash, cancelled);
  const existing = orderRecord(found.rows[0]!);
  const sameOrder = found.rows.length === 1 && existing.source === channel.source && (intake.externalId === null || existing.externalId === null || existing.externalId === intake.externalId);
  if (!sameOrder) {
    throw new IntakeRefused('NUMBER_TAKEN', `Order number ${intake.number} already belongs to another order of this owner (from ${existing.source}).`);
  }
  const result = (outcome: IntakeOutcome, status = existing.status): IntakeResult => ({ orderId: existing.id, number: existing.number, status, outcome, holdReason: existing.holdReason });

  if (existing.contentHash === hash) {
    await noteVersion(tx, existing, intake);
    return result('unchanged');
  }
  if (isOlder(intake.updatedAt, existing.sourceUpdatedAt)) return result('stale');
  if (existing.status === 'cancelled') return result('unchanged');
  if (cancelled) return cancelOrder(tx, existing, { contentHash: hash, updatedAt: intake.updatedAt });
  if (SEALED.has(existing.status) || isShortPacked(existing)) return result('unchanged');

  const oldLines = await orderLines(tx, existing.id);
  const linesChanged = lineKey(oldLines) !== lineKey(intake.lines);
  if (isOnDevices(existing.status) && linesChanged) {
    if (oldLines.some((line) => line.pickedQty > 0)) {
      await tx.query(
        `insert into order_exceptions (owner_id, order_id, kind, details) values ($1, $2, 'changed_after_pick', $3::jsonb)`,
        [existing.ownerId, existing.id, JSON.stringify({ before: oldLines.map(({ sku, qty, pickedQty }) => ({ sku, qty, pickedQty })), after: intake.lines.map(({ sku, qty }) => ({ sku, qty })) })],
      );
      await writeHeader(tx, existing.id, intake, hash);
      return result('exception');
    }
    await deallocate(tx, existing.id);
  }
  await writeHeader(tx, existing.id, intake, hash);
  if (!isOnDevices(existing.status) || linesChanged) {
    const status = await writeLines(tx, existing, intake);
    return { ...result('updated', status.status), holdReason: status.holdReason };
  }
  // Only the header changed (the address, say): devices get the order's new version.
  await publishOrder(tx, existing.id);
  return result('updated');
}

/**
 * Cancels an order. One still waiting simply stops; one on pick lists leaves them (devices delete
 * its lines, an offline pick of one is refused). Units already picked become an exception for a
 * supervisor to bring back to stock. A shipped order cannot be cancelled.
 */
export async function cancelOrder(tx: Queryable, order: OrderRecord, version?: { contentHash: string; updatedAt: string | null }): Promise<IntakeResult> {
  const done = (outcome: IntakeOutcome, status: OrderStatus): IntakeResult => ({ orderId: order.id, number: order.number, status, outcome, holdReason: order.holdReason });
  if (order.status === 'cancelled') return done('unchanged', 'cancelled');
  if (order.status === 'shipped') throw new IntakeRefused('ALREADY_SHIPPED', `Order ${order.number} has shipped and cannot be cancelled. Book a return instead.`);
  let outcome: IntakeOutcome = 'cancelled';
  if (!WAITING.has(order.status) || isShortPacked(order)) {
    const { picked } = await deallocate(tx, order.id);
    const packed = (await orderLines(tx, order.id)).filter((line) => line.packedQty > 0);
    if (picked.length > 0 || packed.length > 0) {
      await tx.query(
        `insert into order_exceptions (owner_id, order_id, kind, details) values ($1, $2, 'cancelled_after_pick', $3::jsonb)`,
        [order.ownerId, order.id, JSON.stringify({ picked, packed: packed.map(({ id, productId, packedQty }) => ({ orderLineId: id, productId, qty: packedQty })) })],
      );
      outcome = 'exception';
    }
  }
  // Cancelling is the answer to a short pack's question (ship short or not); what to do with its
  // units is the cancelled_after_pick exception's.
  if (isShortPacked(order)) await resolveShortPacked(tx, order.id, null);
  await setOrderStatus(tx, order, 'cancelled', { cancelled: true });
  if (version) await tx.query('update orders set content_hash = $2, source_updated_at = coalesce($3::timestamptz, source_updated_at) where id = $1', [order.id, version.contentHash, version.updatedAt]);
  return done(outcome, 'cancelled');
}

/** Holds an order for a supervisor's reason; one whose units are being picked cannot be held. */
export async function holdOrder(tx: Queryable, order: OrderRecord): Promise<OrderRecord> {
  if (order.status === 'on_hold' && order.holdReason === 'HELD_BY_SUPERVISOR') return order;
  // Already waiting for a supervisor; held again, its release would allocate packed units twice.
  if (isShortPacked(order)) return order;
  if (!WAITING.has(order.status) && order.status !== 'allocated') {
    throw new IntakeRefused('ALREADY_SHIPPED', `Order ${order.number} is ${order.status} and can no longer be held.`);
  }
  if (order.status === 'allocated') {
    if ((await orderLines(tx, order.id)).some((line) => line.pickedQty > 0)) {
      throw new IntakeRefused('ALREADY_SHIPPED', `Units of order ${order.number} are already picked: cancel it, or let it finish.`);
    }
    await deallocate(tx, order.id);
  }
  // Release matches the lines again, so the intake's own reasons come back if they still hold.
  await setOrderStatus(tx, order, 'on_hold', { holdReason: 'HELD_BY_SUPERVISOR', holdDetails: order.holdDetails });
  return (await lockOrder(tx, order.id, null))!;
}

/**
 * Releases a held order: its lines are matched again (products may have been loaded since). One
 * closed short ships what is packed: it is `packed`, and `releasedBy` resolves its short pack.
 */
export async function releaseOrder(tx: Queryable, order: OrderRecord, releasedBy: string): Promise<OrderRecord> {
  if (order.status !== 'on_hold') return order;
  if (isShortPacked(order)) {
    await setOrderStatus(tx, order, 'packed', { holdReason: null, holdDetails: null });
    await resolveShortPacked(tx, order.id, releasedBy);
    return (await lockOrder(tx, order.id, null))!;
  }
  const lines = await orderLines(tx, order.id);
  const intakeLines = lines.map(({ externalId, sku, barcode, name, qty, requiresShipping }) => ({ externalId, sku, barcode, name, qty, requiresShipping }));
  await resolveAndStatus(tx, order, intakeLines, order.shipTo === null, false, true);
  return (await lockOrder(tx, order.id, null))!;
}

/** Resolves the order's open short_packed exceptions; `by` is the supervisor, null when a cancel settled them. */
async function resolveShortPacked(tx: Queryable, orderId: string, by: string | null): Promise<void> {
  await tx.query(
    `update order_exceptions set resolved_at = now(), resolved_by = $2 where order_id = $1 and kind = 'short_packed' and resolved_at is null`,
    [orderId, by],
  );
}

async function createOrder(tx: Queryable, channel: IntakeChannel, intake: OrderIntake, hash: string, cancelled: boolean): Promise<IntakeResult> {
  const id = `ord-${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await tx.query(
    `insert into orders (id, owner_id, number, source, status, customer_name, created_at, external_id, integration_id, content_hash, cancelled_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, case when $11::boolean then now() end)`,
    [id, channel.ownerId, intake.number, channel.source, cancelled ? 'cancelled' : 'open', intake.customerName, intake.orderedAt, intake.externalId, channel.integrationId, hash, cancelled],
  );
  await writeHeader(tx, id, intake, hash);
  const record: OrderRecord = orderRecord((await tx.query('select * from orders where id = $1', [id])).rows[0]!);
  if (cancelled) {
    await insertLines(tx, record, intake.lines, intake.lines.map(() => null));
    return { orderId: id, number: intake.number, status: 'cancelled', outcome: 'cancelled', holdReason: null };
  }
  const status = await writeLines(tx, record, intake);
  return { orderId: id, number: intake.number, status: status.status, outcome: 'created', holdReason: status.holdReason };
}

async function writeHeader(tx: Queryable, id: string, intake: OrderIntake, hash: string): Promise<void> {
  await tx.query(
    `update orders set customer_name = $2, created_at = $3, ship_by = $4, shipping_method = $5, express = $6, ship_to = $7::jsonb,
       content_hash = $8, source_updated_at = greatest(source_updated_at, $9::timestamptz)
     where id = $1`,
    [id, intake.customerName, intake.orderedAt, intake.shipBy, intake.shippingMethod, isExpress(intake.shippingMethod), JSON.stringify(intake.shipTo), hash, intake.updatedAt],
  );
}

/** Notes the store's later send time of content already held. */
async function noteVersion(tx: Queryable, order: OrderRecord, intake: OrderIntake): Promise<void> {
  if (intake.updatedAt && isOlder(order.sourceUpdatedAt, intake.updatedAt)) {
    await tx.query('update orders set source_updated_at = $2 where id = $1', [order.id, intake.updatedAt]);
  }
}

/** Replaces the order's lines and decides whether it waits for a person or for allocation. */
async function writeLines(tx: Queryable, order: OrderRecord, intake: OrderIntake): Promise<{ status: OrderStatus; holdReason: HoldReason | null }> {
  // A supervisor's hold outlasts a new version from the store.
  const keepHeld = order.status === 'on_hold' && order.holdReason === 'HELD_BY_SUPERVISOR';
  return resolveAndStatus(tx, order, intake.lines, intake.shipTo === null, keepHeld);
}

async function resolveAndStatus(
  tx: Queryable,
  order: OrderRecord,
  lines: readonly IntakeLine[],
  missingAddress: boolean,
  keepHeld: boolean,
  keepLines = false,
): Promise<{ status: OrderStatus; holdReason: HoldReason | null }> {
  const products = await matchProducts(tx, order.ownerId, lines);
  if (keepLines) {
    // The same lines, matched again (products may have been loaded since it was held).
    await tx.query(
      `update order_lines o set product_id = m.product_id from (select * from unnest($2::int[], $3::text[]) as m(line_no, product_id)) m
       where o.order_id = $1 and o.line_no = m.line_no`,
      [order.id, lines.map((_, i) => i + 1), products],
    );
  } else {
    if (isOnDevices(order.status)) {
      const old = await tx.query<{ id: string }>('select id from order_lines where order_id = $1', [order.id]);
      for (const line of old.rows) await publish(tx, 'orderLines', line.id, order.ownerId, null);
    }
    // Lines taken off their lists before anything was picked are history of nothing: they go with
    // the old lines. (An order with picked units never gets here: it is an exception instead.)
    await tx.query(`delete from pick_lines where order_id = $1 and status = 'cancelled' and picked_qty = 0 and short_qty = 0`, [order.id]);
    await tx.query('delete from order_lines where order_id = $1', [order.id]);
    await insertLines(tx, order, lines, products);
  }
  const problems: LineProblem[] = [];
  lines.forEach((line, i) => {
    if (!line.requiresShipping) problems.push({ code: 'NOT_SHIPPABLE', line: i + 1, sku: line.sku, name: line.name });
    else if (products[i] === null) problems.push({ code: 'UNKNOWN_SKU', line: i + 1, sku: line.sku, name: line.name });
  });
  if (missingAddress) problems.push({ code: 'MISSING_ADDRESS', line: 0, sku: null, name: null });
  if (keepHeld) {
    await setOrderStatus(tx, order, 'on_hold', { holdReason: 'HELD_BY_SUPERVISOR', holdDetails: { problems } });
    return { status: 'on_hold', holdReason: 'HELD_BY_SUPERVISOR' };
  }
  if (problems.length === 0) {
    await setOrderStatus(tx, order, 'open', { holdReason: null, holdDetails: null });
    return { status: 'open', holdReason: null };
  }
  const reason = problems[0]!.code;
  await setOrderStatus(tx, order, 'on_hold', { holdReason: reason, holdDetails: { problems } });
  return { status: 'on_hold', holdReason: reason };
}

async function insertLines(tx: Queryable, order: OrderRecord, lines: readonly IntakeLine[], products: readonly (string | null)[]): Promise<void> {
  const rows = lines.map((line, i) => ({
    id: `${order.id}-${i + 1}`,
    order_id: order.id,
    owner_id: order.ownerId,
    product_id: products[i] ?? null,
    qty: line.qty,
    picked_qty: 0,
    packed_qty: 0,
    line_no: i + 1,
    sku: line.sku,
    barcode: line.barcode,
    name: line.name,
    external_id: line.externalId,
    requires_shipping: line.requiresShipping,
  }));
  await tx.query(
    `insert into order_lines (id, order_id, owner_id, product_id, qty, picked_qty, packed_qty, line_no, sku, barcode, name, external_id, requires_shipping)
     select id, order_id, owner_id, product_id, qty, picked_qty, packed_qty, line_no, sku, barcode, name, external_id, requires_shipping
     from jsonb_populate_recordset(null::order_lines, $1::jsonb)`,
    [JSON.stringify(rows)],
  );
}

/** Each line's product of this owner: by SKU as written, then SKU in any case, then by barcode. */
export async function matchProducts(tx: Queryable, ownerId: string, lines: readonly IntakeLine[]): Promise<(string | null)[]> {
  const skus = lines.map((l) => l.sku).filter((s): s is string => !!s);
  const barcodes = lines.map((l) => l.barcode).filter((b): b is string => !!b).map(productBarcodeKey);
  if (skus.length === 0 && barcodes.length === 0) return lines.map(() => null);
  const { rows } = await tx.query<{ id: string; sku: string; barcodes: string[] }>(
    `select id, sku, barcodes from products where owner_id = $1 and (sku = any($2::text[]) or upper(sku) = any($3::text[]) or barcodes && $4::text[])`,
    [ownerId, skus, skus.map((s) => s.toUpperCase()), barcodes],
  );
  const bySku = new Map(rows.map((r) => [r.sku, r.id]));
  const byUpper = new Map(rows.map((r) => [r.sku.toUpperCase(), r.id]));
  const byBarcode = new Map(rows.flatMap((r) => r.barcodes.map((b) => [b, r.id] as const)));
  return lines.map((line) => {
    if (line.sku) {
      const id = bySku.get(line.sku) ?? byUpper.get(line.sku.toUpperCase());
      if (id) return id;
    }
    return line.barcode ? byBarcode.get(productBarcodeKey(line.barcode)) ?? null : null;
  });
}

/** The lines as they matter to the floor: what and how many, in order. */
function lineKey(lines: readonly { sku: string | null; barcode: string | null; qty: number; requiresShipping: boolean }[]): string {
  return JSON.stringify(lines.map((l) => [l.sku, l.barcode, l.qty, l.requiresShipping]));
}

/** Whether `a` is a send time strictly before `b` (either unknown: not older). */
function isOlder(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && Date.parse(a) < Date.parse(b);
}
