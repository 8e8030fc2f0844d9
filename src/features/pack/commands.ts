// The pack station's use-cases: resolve a scan against the device's orders, pick lists, products,
// boxes and the carriers' label patterns, read an order as the station shows it (lines, cartons,
// the owner's boxes), and submit pack, repack, close-carton and ship through the outbox.
// IndexedDB only, so packing works offline.
import { recognizeTracking } from '../../domain/carriers';
import type { Carton, CartonLine, Order, OrderLine } from '../../domain/entities';
import type { PackCarton, PackLookup, PackOrder, PackSubmission, PackView } from '../../domain/workflows/pack';
import type { DockhandDb } from '../../storage/db';
import { allRows, getRow, getRows, rowsWhere } from '../../storage/rows';
import type { ScanMatch } from '../../domain/scan-match';
import { lookupScan } from '../../storage/scan-lookup';
import { anticipate, submit } from '../../storage/submit-bridge';

/** A committed submission answers the rows the station shows that it changed, as committed. */
export type PackOutcome =
  | { ok: true; orders: Order[]; orderLines: OrderLine[]; cartons: Carton[]; cartonLines: CartonLine[] }
  | { ok: false; message: string };

/** What the station waits for: tried first, so the usual scan is the quickest. */
export type PackExpectation = 'order' | 'item' | 'label' | 'box';

export interface PackCommands {
  /**
   * A scan as an order, a pick list, a product, a carrier label, or unknown. `expect`: what the
   * station waits for, tried first (an item while packing, a label once packed).
   */
  resolveScan(text: string, options?: { expect?: PackExpectation }): Promise<PackLookup>;
  /** The station's view of the orders it has open, read again (after a commit or a pull). */
  readView(view: PackView): Promise<PackView>;
  /** Resolves once the mutation and its local effects have committed, or with the refusal. */
  submit(submission: PackSubmission): Promise<PackOutcome>;
  /** The submission the packer is expected to make next (the order's next item): read ahead for it. */
  anticipate?(submission: PackSubmission): void;
}

const byId = <T extends { id: string }>(rows: readonly (T | undefined)[]): Map<string, T> =>
  new Map(rows.flatMap((row) => (row ? [[row.id, row] as const] : [])));
const byLabel = (a: PackCarton, b: PackCarton): number => a.label.localeCompare(b.label, undefined, { numeric: true });

/** The owner's settings the station uses: read when an order opens, not on every scan's re-read. */
type OwnerPart = Pick<PackOrder, 'boxes' | 'quantityTyped'>;

async function ownerPart(db: DockhandDb, ownerId: string): Promise<OwnerPart> {
  const [owner, boxes] = await Promise.all([getRow(db, 'owners', ownerId), allRows(db, 'cartonTypes')]);
  return {
    boxes: boxes
      .filter((box) => box.ownerId === ownerId)
      .sort((a, b) => a.lengthMm * a.widthMm * a.heightMm - b.lengthMm * b.widthMm * b.heightMm)
      .map((box) => ({ id: box.id, code: box.code, name: box.name, size: `${box.lengthMm / 10} × ${box.widthMm / 10} × ${box.heightMm / 10} cm`, maxWeightGrams: box.maxWeightGrams })),
    quantityTyped: owner?.packQuantityTyped ?? false,
  };
}

/**
 * An order with its lines, its cartons and its owner's boxes, as the station shows them. `known`:
 * the owner's part as the station already holds it (a re-read after a scan).
 */
export async function packOrder(db: DockhandDb, order: Order, known?: OwnerPart): Promise<PackOrder> {
  const [lines, cartons, cartonLines, owner] = await Promise.all([
    rowsWhere(db, 'orderLines', 'orderId', [order.id]),
    rowsWhere(db, 'cartons', 'orderId', [order.id]),
    rowsWhere(db, 'cartonLines', 'orderId', [order.id]),
    known ?? ownerPart(db, order.ownerId),
  ]);
  lines.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const products = byId(await getRows(db, 'products', [...new Set(lines.map((line) => line.productId))]));
  const sku = (productId: string) => products.get(productId)?.sku ?? productId;
  return {
    orderId: order.id,
    number: order.number,
    status: order.status,
    lines: lines.map((line: OrderLine) => ({
      orderLineId: line.id,
      productId: line.productId,
      sku: sku(line.productId),
      name: products.get(line.productId)?.name ?? '',
      ordered: line.qty,
      picked: line.pickedQty,
      packed: line.packedQty,
      serialTracked: products.get(line.productId)?.serialTracked ?? false,
    })),
    cartons: cartons.map((carton) => packCarton(carton, cartonLines, sku)).sort(byLabel),
    ...owner,
  };
}

function packCarton(carton: Carton, lines: readonly CartonLine[], sku: (productId: string) => string): PackCarton {
  return {
    label: carton.label,
    status: carton.status,
    cartonTypeId: carton.cartonTypeId,
    weightGrams: carton.weightGrams,
    lines: lines
      .filter((line) => line.cartonId === carton.id && line.qty > 0)
      .map((line) => ({ productId: line.productId, sku: sku(line.productId), lot: line.lot, serial: line.serial, qty: line.qty })),
  };
}

/** The orders of a pick list, in the order their first line appears on it. */
async function pickListView(db: DockhandDb, list: { id: string; number: string }): Promise<PackView> {
  const lines = (await rowsWhere(db, 'pickLines', 'pickListId', [list.id])).sort((a, b) => a.walkSeq - b.walkSeq || (a.id < b.id ? -1 : 1));
  const orderIds = [...new Set(lines.map((line) => line.orderId))];
  const orders = (await getRows(db, 'orders', orderIds)).filter((order): order is Order => order !== undefined);
  return { pickList: { id: list.id, number: list.number }, orders: await Promise.all(orders.map((order) => packOrder(db, order))) };
}

/** The number as people and packing slips write it: `1041`, `#1041` and ` #1041 ` are one order. */
function orderNumbers(text: string): string[] {
  const trimmed = text.trim();
  const bare = trimmed.replace(/^#/, '');
  return [...new Set([trimmed, bare, `#${bare}`])];
}

/** A pick list's number as printed: `PL-000123`. */
const PICK_LIST_NUMBER = /^PL-\d+$/;

export async function resolvePackScan(db: DockhandDb, text: string, options: { expect?: PackExpectation; now?: Date } = {}): Promise<PackLookup> {
  if (options.expect === 'box') {
    const code = text.trim().toUpperCase();
    if ((await rowsWhere(db, 'cartonTypes', 'code', [code])).length > 0) return { kind: 'box', code };
  }
  const tracking = recognizeTracking(text);
  // A label is what the station waits for: it wins over a product that happens to share the digits.
  if (options.expect === 'label' && tracking.ok) return { kind: 'tracking', carrier: tracking.carrier, trackingNumber: tracking.trackingNumber };
  // While packing, most scans are items: their lookup goes first, and an order's only if none matched.
  const product = options.expect === 'item' ? await productOf(db, text, options.now) : null;
  if (product) return product;
  const orders = await rowsWhere(db, 'orders', 'number', orderNumbers(text));
  if (orders.length === 1) return { kind: 'order', view: { pickList: null, orders: [await packOrder(db, orders[0]!)] } };
  const upper = text.trim().toUpperCase();
  if (PICK_LIST_NUMBER.test(upper)) {
    const list = (await allRows(db, 'pickLists')).find((candidate) => candidate.number === upper);
    if (list) return { kind: 'order', view: await pickListView(db, list) };
  }
  const match = options.expect === 'item' ? null : await lookupScan(db, text, { now: options.now });
  if (match?.kind === 'product') return productLookup(match);
  if (tracking.ok) return { kind: 'tracking', carrier: tracking.carrier, trackingNumber: tracking.trackingNumber };
  // At the label step, a label that cannot be any carrier's (a bad check digit on a pattern only
  // one carrier uses) is refused with its reason; one no pattern matched asks for the carrier.
  if (options.expect === 'label') return tracking.canChooseCarrier ? { kind: 'unknown', text: text.trim() } : { kind: 'unknown', text: text.trim(), error: tracking.message };
  return { kind: 'unknown', text: text.trim(), ...(match?.kind === 'unknown' && match.error ? { error: match.error } : {}) };
}

function productLookup(match: Extract<ScanMatch, { kind: 'product' }>): PackLookup {
  return { kind: 'product', product: { id: match.product.id, sku: match.product.sku, name: match.product.name }, lot: match.gs1?.lot ?? null, serial: match.gs1?.serial ?? null };
}

async function productOf(db: DockhandDb, text: string, now: Date | undefined): Promise<PackLookup | null> {
  const match = await lookupScan(db, text, { now });
  return match.kind === 'product' ? productLookup(match) : null;
}

/** `view` with the rows a submission committed: the station shows them without reading the order again. */
export function withCommitted(view: PackView, committed: Omit<Extract<PackOutcome, { ok: true }>, 'ok'>): PackView {
  const { orders, orderLines, cartons, cartonLines } = committed;
  if (orders.length === 0 && orderLines.length === 0 && cartons.length === 0 && cartonLines.length === 0) return view;
  const status = new Map(orders.map((order) => [order.id, order.status]));
  const packed = new Map(orderLines.map((line) => [line.id, line]));
  return {
    ...view,
    orders: view.orders.map((order) => {
      const sku = (productId: string) => order.lines.find((line) => line.productId === productId)?.sku ?? productId;
      return {
        ...order,
        status: status.get(order.orderId) ?? order.status,
        lines: order.lines.map((line) => {
          const saved = packed.get(line.orderLineId);
          return saved ? { ...line, picked: saved.pickedQty, packed: saved.packedQty } : line;
        }),
        cartons: withCartons(order, cartons.filter((carton) => carton.orderId === order.orderId), cartonLines.filter((line) => line.orderId === order.orderId), sku),
      };
    }),
  };
}

/** The order's cartons with committed carton rows and lines laid over them. */
function withCartons(order: PackOrder, cartons: readonly Carton[], lines: readonly CartonLine[], sku: (productId: string) => string): PackCarton[] {
  const shown = new Map((order.cartons ?? []).map((carton) => [carton.label, carton]));
  for (const carton of cartons) {
    const before = shown.get(carton.label);
    shown.set(carton.label, { ...(before ?? packCarton(carton, [], sku)), status: carton.status, cartonTypeId: carton.cartonTypeId, weightGrams: carton.weightGrams });
  }
  const labelOf = new Map(cartons.map((carton) => [carton.id, carton.label]));
  for (const line of lines) {
    const label = labelOf.get(line.cartonId) ?? line.cartonId.slice(`${order.orderId}|carton|`.length);
    const carton = shown.get(label);
    if (!carton) continue;
    const others = carton.lines.filter((unit) => !(unit.productId === line.productId && unit.lot === line.lot && unit.serial === line.serial));
    const unit = { productId: line.productId, sku: sku(line.productId), lot: line.lot, serial: line.serial, qty: line.qty };
    shown.set(label, { ...carton, lines: line.qty > 0 ? [...others, unit] : others });
  }
  return [...shown.values()].sort(byLabel);
}

/** The same orders (or pick list) read again from the device's rows. */
export async function readPackView(db: DockhandDb, view: PackView): Promise<PackView> {
  if (view.pickList) {
    const list = await getRow(db, 'pickLists', view.pickList.id);
    if (list) {
      const fresh = await pickListView(db, list);
      // Orders shipped or cancelled since leave the sorting; the ones still being sorted stay in their slots.
      const keep = new Set(view.orders.map((order) => order.orderId));
      return { ...fresh, orders: fresh.orders.filter((order) => keep.has(order.orderId)) };
    }
  }
  const orders = await getRows(db, 'orders', view.orders.map((order) => order.orderId));
  const held = new Map(view.orders.map((order) => [order.orderId, { boxes: order.boxes, quantityTyped: order.quantityTyped }]));
  return {
    pickList: view.pickList,
    orders: await Promise.all(orders.filter((order): order is Order => order !== undefined).map((order) => packOrder(db, order, held.get(order.id)))),
  };
}

export async function submitPackMutation(db: DockhandDb, submission: PackSubmission, now: Date = new Date()): Promise<PackOutcome> {
  try {
    const result = await submit(db, { ...submission, now } as Parameters<typeof submit>[1]);
    if (!result.ok) return { ok: false, message: result.rejection.message };
    const rows = <T>(table: string) => result.changes.flatMap((change) => (change.table === table && change.row ? [change.row as T] : []));
    return { ok: true, orders: rows<Order>('orders'), orderLines: rows<OrderLine>('orderLines'), cartons: rows<Carton>('cartons'), cartonLines: rows<CartonLine>('cartonLines') };
  } catch (error) {
    console.error('Could not save the pack station’s scan', error);
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Could not save this on the device (${reason}). Try again; if it keeps failing, tell a supervisor.` };
  }
}

export function createPackCommands(db: DockhandDb, clock: () => Date = () => new Date()): PackCommands {
  return {
    resolveScan: (text, options) => resolvePackScan(db, text, { ...options, now: clock() }),
    readView: (view) => readPackView(db, view),
    submit: (submission) => submitPackMutation(db, submission, clock()),
    anticipate: (submission) => anticipate(db, { ...submission, now: clock() }),
  };
}
