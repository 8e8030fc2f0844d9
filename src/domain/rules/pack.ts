// Packing: picked units of an order go into its cartons, one scan at a time (or a typed count,
// where the owner allows it). Nothing extra (a unit not picked for the order, another order's lot,
// a serial already packed) goes in. The order is packed when its cartons are closed
// (close-carton.ts), whole, or short with a supervisor's override.
import type { ArgsOf } from '../mutations';
import { cartonId, cartonLineId, type Carton, type CartonLine, type Order, type OrderLine, type PickLine } from '../entities';
import { notFound, reject } from './access';
import { productLabel } from './labels';
import type { Outcome, RuleContext } from './types';

/**
 * What still keeps an order from being packed: open pick lines, and lines with picked units not
 * yet packed. An order with nothing picked is never packed (there is nothing to ship).
 */
export function packingGaps(lines: readonly OrderLine[], pickLines: readonly PickLine[]): { openPicks: PickLine[]; unpacked: OrderLine[]; nothingPicked: boolean } {
  return {
    openPicks: pickLines.filter((line) => line.status !== 'done'),
    unpacked: lines.filter((line) => line.packedQty < line.pickedQty),
    nothingPicked: lines.every((line) => line.pickedQty === 0),
  };
}

/** The order, checked to exist (visible to the actor) and still be open for packing or shipping. */
export async function loadOrder(
  orderId: string,
  ctx: RuleContext,
): Promise<{ ok: true; order: Order } | { ok: false; outcome: Outcome }> {
  const order = await ctx.reader.get('orders', orderId);
  if (!order) return { ok: false, outcome: notFound('Order', orderId) };
  if (order.status === 'shipped') {
    return { ok: false, outcome: reject('ALREADY_SHIPPED', `Order ${order.number} has already shipped. Scan the next order.`, { orderId: order.id }) };
  }
  if (order.status === 'cancelled') {
    return { ok: false, outcome: reject('DOCUMENT_CLOSED', `Order ${order.number} was cancelled. Put its units aside for a supervisor.`, { orderId: order.id }) };
  }
  return { ok: true, order };
}

/** What a carton holds: the sum of its lines. */
export const unitsIn = (lines: readonly CartonLine[], cartonKey: string): number =>
  lines.reduce((sum, line) => (line.cartonId === cartonKey ? sum + line.qty : sum), 0);

/** Every unit ordered is packed: the order may close without a supervisor. */
export const isPackedWhole = (lines: readonly OrderLine[]): boolean => lines.length > 0 && lines.every((line) => line.packedQty >= line.qty);

/**
 * The carton `label` of the order, open, or a new one: units go only into an open carton.
 */
export async function openCarton(order: Order, label: string, ctx: RuleContext): Promise<{ ok: true; carton: Carton } | { ok: false; outcome: Outcome }> {
  const key = cartonId(order.id, label);
  const found = (await ctx.reader.children('cartons', order.id)).find((carton) => carton.id === key);
  if (found?.status === 'closed') {
    return { ok: false, outcome: reject('CARTON_CLOSED', `Carton ${label} of order ${order.number} is closed. Add a carton for more units.`, { orderId: order.id, carton: label }) };
  }
  return {
    ok: true,
    carton: found ?? { id: key, ownerId: order.ownerId, orderId: order.id, label, status: 'open', cartonTypeId: null, weightGrams: null, closedAt: null, shortReason: null },
  };
}

/** `line` with `delta` more units, or a new line of the carton for that product, lot and serial. */
export function cartonLineWith(
  lines: readonly CartonLine[],
  carton: Carton,
  unit: { productId: string; lot: string | null; serial: string | null },
  delta: number,
): CartonLine {
  const id = cartonLineId(carton.id, unit.productId, unit.lot, unit.serial);
  const found = lines.find((line) => line.id === id);
  return found
    ? { ...found, qty: found.qty + delta }
    : { id, ownerId: carton.ownerId, orderId: carton.orderId, cartonId: carton.id, productId: unit.productId, lot: unit.lot, serial: unit.serial, qty: delta };
}

export async function applyPack(args: ArgsOf<'pack'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const loaded = await loadOrder(args.orderId, ctx);
  if (!loaded.ok) return loaded.outcome;
  const { order } = loaded;

  const lines = await reader.children('orderLines', order.id);
  const forProduct = lines.filter((line) => line.productId === args.productId);
  if (forProduct.length === 0) {
    return reject('WRONG_PRODUCT', `${await productLabel(reader, args.productId)} is not on order ${order.number}. Take it out of the carton.`, {
      orderId: order.id,
      productId: args.productId,
    });
  }
  // Goods sold by the dozen may be counted instead of scanned one by one, where the owner allows it.
  if (args.qty > 1 && !(await reader.get('owners', order.ownerId))?.packQuantityTyped) {
    return reject('INVALID_QUANTITY', `Scan each unit of ${await productLabel(reader, args.productId)}: this merchant does not allow typed quantities.`, {
      orderId: order.id,
      requested: args.qty,
    });
  }
  // A unit whose label carries a lot must be of a lot picked for this order: another order's lot
  // at the same bench is a swapped unit, found now rather than by the customer.
  if (args.lot !== null) {
    const lots = [...new Set((await reader.pickLinesOfOrder(order.id)).filter((pick) => pick.productId === args.productId && pick.pickedQty > 0).map((pick) => pick.lot))];
    const named = lots.filter((lot): lot is string => lot !== null);
    if (named.length > 0 && !named.includes(args.lot)) {
      return reject('WRONG_PRODUCT', `Wrong lot: order ${order.number} was picked from lot ${named.join(' or ')}, this unit is lot ${args.lot}. Take it out.`, {
        orderId: order.id,
        productId: args.productId,
        expectedLots: named,
        scannedLot: args.lot,
      });
    }
  }
  const cartonLines = await reader.children('cartonLines', order.id);
  // A serial-tracked unit is recorded by its serial, once: a recall names the parcel it went in.
  const product = await reader.get('products', args.productId);
  if (product?.serialTracked) {
    if (args.serial === null) {
      return reject('SERIAL_REQUIRED', `${product.sku} is serial-tracked: scan the barcode with its serial number (S/N), one unit at a time.`, { orderId: order.id, productId: product.id });
    }
    if (args.qty !== 1) return reject('INVALID_QUANTITY', `Scan each ${product.sku} by its serial number, one unit at a time.`, { orderId: order.id, requested: args.qty });
    const packed = cartonLines.find((line) => line.productId === product.id && line.serial === args.serial && line.qty > 0);
    if (packed) {
      const label = (await reader.children('cartons', order.id)).find((carton) => carton.id === packed.cartonId)?.label ?? '';
      return reject('SERIAL_ALREADY_PACKED', `Serial ${args.serial} of ${product.sku} is already packed in carton ${label}. Scan another unit.`, {
        orderId: order.id,
        serial: args.serial,
      });
    }
  }
  // An order may list a product twice; the scan fills the first line with room.
  const left = forProduct.reduce((sum, line) => sum + line.pickedQty - line.packedQty, 0);
  const line = forProduct.find((candidate) => candidate.pickedQty - candidate.packedQty >= args.qty);
  if (!line) {
    return reject(
      'INVALID_QUANTITY',
      `Only ${left} picked units of ${await productLabel(reader, args.productId)} are left to pack. Take ${args.qty - left} out of the carton.`,
      { left, requested: args.qty, orderId: order.id, productId: args.productId },
    );
  }
  const opened = await openCarton(order, args.cartonId ?? '1', ctx);
  if (!opened.ok) return opened.outcome;
  const { carton } = opened;

  // The order is packed when its cartons are closed (close-carton), not when the last unit goes in.
  const serial = product?.serialTracked ? args.serial : null;
  return {
    ok: true,
    effects: [
      { kind: 'put', table: 'orderLines', row: { ...line, packedQty: line.packedQty + args.qty } },
      { kind: 'put', table: 'cartons', row: carton },
      { kind: 'put', table: 'cartonLines', row: cartonLineWith(cartonLines, carton, { productId: args.productId, lot: args.lot, serial }, args.qty) },
    ],
  };
}
