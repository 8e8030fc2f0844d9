// Allocation: promises waiting orders, whole, to loose stock in pickable bins, most urgent first,
// and batches them into pick lists walked in bin order. Pure and deterministic: the same inputs
// give the same ids. The server runs it under a lock per owner (server/orders/allocate.ts).
import type { Location, LocationType, Order, OrderLine, PickLine, PickList, Product, StockRow } from './entities';
import { stockId } from './entities';

/** Orders of one owner batched onto one pick list unless the caller says otherwise. */
export const DEFAULT_ORDERS_PER_LIST = 5;

/** Pick lines on one list at most (an order with more lines gets a list of its own). */
export const DEFAULT_LINES_PER_LIST = 40;

/** The statuses of an order still waiting for stock. */
const WAITING: ReadonlySet<Order['status']> = new Set<Order['status']>(['open', 'backordered']);

/** An order with what decides its turn: the ship-by date, then express shipping, then age. */
export interface AllocatableOrder extends Order {
  shipBy?: string | null;
  express?: boolean;
}

/** Only these bins are picked from; dock, pack, returns, quarantine and damaged stock is not for sale. */
const PICKABLE: ReadonlySet<LocationType> = new Set<LocationType>(['pick_face', 'storage']);

export interface AllocationInput {
  /** Orders to allocate; only those `open` or `backordered` are considered. */
  orders: readonly AllocatableOrder[];
  orderLines: readonly OrderLine[];
  stock: readonly StockRow[];
  locations: readonly Location[];
  products: readonly Product[];
  /** Pick lines of earlier runs: their units not yet picked or shorted are already promised. */
  openPickLines?: readonly PickLine[];
  /** The `pack` location every new list stages at. */
  stagingLocationId: string;
  /** Today at the warehouse (`YYYY-MM-DD`): a lot whose expiry is before it is never allocated. */
  today: string;
  /** Timestamp written on the new pick lists. */
  createdAt: string;
  /** At most this many orders per pick list (default 5). */
  ordersPerList?: number;
  /** At most this many pick lines per list (default 40), unless one order alone has more. */
  linesPerList?: number;
  /** Number of the first new list (`PL-000123`); the caller keeps the sequence. Default 1. */
  firstListNumber?: number;
}

/** Units of one stock row promised to pick lines of this run. */
export interface Reservation {
  stockId: string;
  locationId: string;
  productId: string;
  lot: string | null;
  qty: number;
}

/** An order line that could not be fully allocated: its order waits, whole, as a backorder. */
export interface Shortfall {
  orderId: string;
  orderLineId: string;
  productId: string;
  requested: number;
  allocated: number;
  short: number;
  reason: 'no_stock' | 'unknown_product';
}

export interface AllocationResult {
  pickLists: PickList[];
  /** Per list, in walk order. */
  pickLines: PickLine[];
  /** Orders allocated in full, now `allocated`. The others are untouched: see `shortfalls`. */
  orders: Order[];
  reservations: Reservation[];
  shortfalls: Shortfall[];
}

/** `PL-000123`: the number printed on a pick list. */
export function pickListNumber(n: number): string {
  return `PL-${String(n).padStart(6, '0')}`;
}

interface Candidate {
  row: StockRow;
  location: Location;
  /** Units still free in this row during the run. */
  free: number;
}

interface Allocated {
  order: Order;
  line: OrderLine;
  candidate: Candidate;
  qty: number;
}

/**
 * Allocates every waiting order, whole or not at all (a parcel ships complete), most urgent first:
 * the earliest ship-by date, then express shipping, then the oldest. A line takes loose stock (the
 * pick rule only picks stock not on an LPN) of its owner from pick faces and storage bins: for an
 * expiry-tracked product the earliest unexpired expiry first (FEFO), then pick faces before
 * storage, then walk order. A line may split across rows. An order that cannot be filled keeps
 * nothing and is reported line by line in `shortfalls`.
 */
export function allocateOrders(input: AllocationInput): AllocationResult {
  const perList = Math.max(1, Math.floor(input.ordersPerList ?? DEFAULT_ORDERS_PER_LIST));
  const linesPerList = Math.max(1, Math.floor(input.linesPerList ?? DEFAULT_LINES_PER_LIST));
  const productsById = new Map(input.products.map((p) => [p.id, p]));
  const locationsById = new Map(input.locations.map((l) => [l.id, l]));

  const promised = new Map<string, number>();
  for (const line of input.openPickLines ?? []) {
    if (line.status !== 'open') continue;
    const left = line.qty - line.pickedQty - line.shortQty;
    if (left <= 0) continue;
    const key = stockKeyOf(line.locationId, line.productId, line.lot);
    promised.set(key, (promised.get(key) ?? 0) + left);
  }

  const candidatesByProduct = candidateIndex(input.stock, locationsById, promised);

  const linesByOrder = new Map<string, OrderLine[]>();
  for (const line of input.orderLines) {
    const list = linesByOrder.get(line.orderId);
    if (list) list.push(line);
    else linesByOrder.set(line.orderId, [line]);
  }

  const waiting = input.orders.filter((o) => WAITING.has(o.status)).sort(comparePriority);
  const ranked = new Map<string, Candidate[]>();

  const shortfalls: Shortfall[] = [];
  const allocatedByOrder = new Map<string, Allocated[]>();

  for (const order of waiting) {
    const taken: Allocated[] = [];
    const missing: Shortfall[] = [];
    for (const line of linesByOrder.get(order.id) ?? []) {
      const wanted = line.qty - line.pickedQty;
      if (wanted <= 0) continue;
      const product = productsById.get(line.productId);
      if (!product) {
        missing.push(shortfall(order, line, wanted, 0, 'unknown_product'));
        continue;
      }
      const key = `${product.id}|${order.ownerId}`;
      let candidates = ranked.get(key);
      if (!candidates) {
        candidates = rankedCandidates(candidatesByProduct.get(product.id) ?? [], product, order.ownerId, input.today);
        ranked.set(key, candidates);
      }
      let left = wanted;
      for (const candidate of candidates) {
        if (left === 0) break;
        const qty = Math.min(left, candidate.free);
        if (qty <= 0) continue;
        candidate.free -= qty;
        left -= qty;
        taken.push({ order, line, candidate, qty });
      }
      if (left > 0) missing.push(shortfall(order, line, wanted, wanted - left, 'no_stock'));
    }
    if (missing.length > 0) {
      // Ship complete: what this order took goes back for the orders behind it.
      for (const entry of taken) entry.candidate.free += entry.qty;
      shortfalls.push(...missing);
    } else if (taken.length > 0) {
      allocatedByOrder.set(order.id, taken);
    }
  }

  // Batch per owner in allocation order; owners in order of their first allocated order.
  const byOwner = new Map<string, Order[]>();
  for (const order of waiting) {
    if (!allocatedByOrder.has(order.id)) continue;
    const list = byOwner.get(order.ownerId);
    if (list) list.push(order);
    else byOwner.set(order.ownerId, [order]);
  }

  const pickLists: PickList[] = [];
  const pickLines: PickLine[] = [];
  let number = input.firstListNumber ?? 1;
  for (const [ownerId, orders] of byOwner) {
    for (const batch of batches(orders, (o) => allocatedByOrder.get(o.id)!.length, perList, linesPerList)) {
      const listNumber = pickListNumber(number++);
      const list: PickList = {
        id: `pkl-${listNumber.slice(3)}`,
        ownerId,
        number: listNumber,
        status: 'open',
        stagingLocationId: input.stagingLocationId,
        createdAt: input.createdAt,
      };
      pickLists.push(list);
      const entries = batch.flatMap((o) => allocatedByOrder.get(o.id) ?? []);
      entries.sort(compareWalk);
      entries.forEach((entry, index) => pickLines.push(pickLineOf(list, entry, index)));
    }
  }

  const reservedByRow = new Map<string, Reservation>();
  for (const entries of allocatedByOrder.values()) {
    for (const { candidate, qty } of entries) {
      const reservation = reservedByRow.get(candidate.row.id);
      if (reservation) reservation.qty += qty;
      else {
        const { id, locationId, productId, lot } = candidate.row;
        reservedByRow.set(id, { stockId: id, locationId, productId, lot, qty });
      }
    }
  }
  const reservations = [...reservedByRow.values()].sort((a, b) => compareStr(a.stockId, b.stockId));

  const orders = waiting.filter((o) => allocatedByOrder.has(o.id)).map((o): Order => ({ ...baseOrder(o), status: 'allocated' }));
  return { pickLists, pickLines, orders, reservations, shortfalls };
}

/** Most urgent first: the earliest ship-by date (none: last), express shipping, then the oldest. */
export function comparePriority(a: AllocatableOrder, b: AllocatableOrder): number {
  return (
    compareShipBy(a.shipBy ?? null, b.shipBy ?? null) ||
    Number(b.express ?? false) - Number(a.express ?? false) ||
    compareStr(a.createdAt, b.createdAt) ||
    compareStr(a.id, b.id)
  );
}

function compareShipBy(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareStr(a, b);
}

/** Consecutive orders grouped while a list has room for another order and its lines. */
function batches<T>(items: readonly T[], linesOf: (item: T) => number, maxItems: number, maxLines: number): T[][] {
  const result: T[][] = [];
  let current: T[] = [];
  let lines = 0;
  for (const item of items) {
    const n = linesOf(item);
    if (current.length > 0 && (current.length >= maxItems || lines + n > maxLines)) {
      result.push(current);
      current = [];
      lines = 0;
    }
    current.push(item);
    lines += n;
  }
  if (current.length > 0) result.push(current);
  return result;
}

function pickLineOf(list: PickList, entry: Allocated, index: number): PickLine {
  return {
    id: `${list.id}-${String(index + 1).padStart(3, '0')}`,
    pickListId: list.id,
    ownerId: list.ownerId,
    orderId: entry.order.id,
    orderLineId: entry.line.id,
    productId: entry.line.productId,
    locationId: entry.candidate.location.id,
    lot: entry.candidate.row.lot,
    qty: entry.qty,
    pickedQty: 0,
    shortQty: 0,
    shortReason: null,
    status: 'open',
    walkSeq: entry.candidate.location.walkSeq,
  };
}

/** The synced fields of an order, without what only decided its turn. */
function baseOrder(order: AllocatableOrder): Order {
  const { id, ownerId, number, source, status, customerName, createdAt } = order;
  return { id, ownerId, number, source, status, customerName, createdAt };
}

/**
 * The same allocation with its lists numbered from `numbers` (one per list, in order): the
 * server draws them from a sequence shared by every owner and API server.
 */
export function renumberLists(result: AllocationResult, numbers: readonly number[]): AllocationResult {
  if (numbers.length !== result.pickLists.length) throw new Error(`Expected ${result.pickLists.length} list numbers, got ${numbers.length}.`);
  const renamed = new Map<string, PickList>();
  const pickLists = result.pickLists.map((list, i) => {
    const number = pickListNumber(numbers[i]!);
    const next = { ...list, id: `pkl-${number.slice(3)}`, number };
    renamed.set(list.id, next);
    return next;
  });
  const pickLines = result.pickLines.map((line) => {
    const list = renamed.get(line.pickListId)!;
    return { ...line, pickListId: list.id, id: `${list.id}${line.id.slice(line.pickListId.length)}` };
  });
  return { ...result, pickLists, pickLines };
}

/** Pickable loose stock per product, with what earlier runs promised already taken off. */
function candidateIndex(
  stock: readonly StockRow[],
  locationsById: ReadonlyMap<string, Location>,
  promised: Map<string, number>,
): Map<string, Candidate[]> {
  const index = new Map<string, Candidate[]>();
  for (const row of stock) {
    if (row.lpn !== null || row.qty <= 0) continue;
    const location = locationsById.get(row.locationId);
    if (!location || !PICKABLE.has(location.type)) continue;
    // Promises of earlier runs are keyed without the LPN: consume them row by row.
    const key = stockKeyOf(row.locationId, row.productId, row.lot);
    const owed = promised.get(key) ?? 0;
    const used = Math.min(owed, row.qty);
    if (owed > 0) promised.set(key, owed - used);
    const free = row.qty - used;
    if (free <= 0) continue;
    const list = index.get(row.productId);
    const candidate = { row, location, free };
    if (list) list.push(candidate);
    else index.set(row.productId, [candidate]);
  }
  return index;
}

function rankedCandidates(candidates: Candidate[], product: Product, ownerId: string, today: string): Candidate[] {
  const usable = candidates.filter(
    (c) =>
      c.free > 0 &&
      // A 3PL never ships one merchant's goods on another's order.
      c.row.ownerId === ownerId &&
      // On its expiry date a lot is still in date; from the next day it is not.
      !(c.row.expiry !== null && c.row.expiry < today),
  );
  return usable.sort((a, b) => {
    if (product.expiryTracked) {
      const byExpiry = compareExpiry(a.row.expiry, b.row.expiry);
      if (byExpiry !== 0) return byExpiry;
    }
    return (
      tier(a.location, product) - tier(b.location, product) ||
      a.location.walkSeq - b.location.walkSeq ||
      compareStr(a.location.code, b.location.code) ||
      compareStr(a.row.id, b.row.id)
    );
  });
}

/** The product's own pick face, then other pick faces, then storage. */
function tier(location: Location, product: Product): number {
  if (location.type !== 'pick_face') return 2;
  return location.id === product.pickFaceLocationId ? 0 : 1;
}

/** Earliest first; a row without an expiry (unknown) after every dated one. */
function compareExpiry(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareStr(a, b);
}

function compareWalk(a: Allocated, b: Allocated): number {
  return (
    a.candidate.location.walkSeq - b.candidate.location.walkSeq ||
    compareStr(a.candidate.location.code, b.candidate.location.code) ||
    compareStr(a.line.productId, b.line.productId) ||
    compareStr(a.candidate.row.lot ?? '', b.candidate.row.lot ?? '') ||
    compareStr(a.order.id, b.order.id) ||
    compareStr(a.line.id, b.line.id)
  );
}

function shortfall(order: Order, line: OrderLine, requested: number, allocated: number, reason: Shortfall['reason']): Shortfall {
  return {
    orderId: order.id,
    orderLineId: line.id,
    productId: line.productId,
    requested,
    allocated,
    short: requested - allocated,
    reason,
  };
}

function stockKeyOf(locationId: string, productId: string, lot: string | null): string {
  return stockId(locationId, productId, lot, null);
}

/** Code-unit order, the same in every runtime (no locale). */
function compareStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
