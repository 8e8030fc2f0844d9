// A small warehouse for tests: two clients, a handful of bins along one walk, stock, and one
// open document of each kind. Builders take overrides so a test states only what it is about.
import { stockId, type Location, type Order, type OrderLine, type Owner, type PickLine, type PickList, type Product, type Receipt, type ReceiptLine, type Return, type ReturnLine, type StockRow } from '../../src/domain/entities';
import type { Actor, RuleContext } from '../../src/domain/rules/types';
import { MemoryReader, type Rows } from '../fakes/memory-reader';

export const TODAY = '2026-01-15';
export const NOW = '2026-01-15T10:00:00.000Z';

export function owner(overrides: Partial<Owner> & Pick<Owner, 'id'>): Owner {
  return { code: overrides.id.toUpperCase(), name: overrides.id, overReceiptTolerancePct: 0, allowUnexpectedItems: false, packQuantityTyped: false, ...overrides };
}

export function product(overrides: Partial<Product> & Pick<Product, 'id' | 'ownerId' | 'sku'>): Product {
  return {
    name: overrides.sku,
    barcodes: [overrides.sku.toUpperCase()],
    lotTracked: false,
    expiryTracked: false,
    serialTracked: false,
    zone: 'A',
    pickFaceLocationId: null,
    ...overrides,
  };
}

export function location(overrides: Partial<Location> & Pick<Location, 'id' | 'code'>): Location {
  return { zone: 'A', type: 'storage', aisle: null, level: null, walkSeq: 0, capacity: null, ...overrides };
}

export function stock(
  locationId: string,
  productId: string,
  qty: number,
  extra: Partial<Pick<StockRow, 'lot' | 'expiry' | 'lpn' | 'ownerId'>> = {},
): StockRow {
  const lot = extra.lot ?? null;
  const lpn = extra.lpn ?? null;
  return { id: stockId(locationId, productId, lot, lpn), ownerId: extra.ownerId ?? 'acme', locationId, productId, lot, lpn, expiry: extra.expiry ?? null, qty };
}

export function receiptLine(overrides: Partial<ReceiptLine> & Pick<ReceiptLine, 'id' | 'receiptId' | 'productId'>): ReceiptLine {
  return { ownerId: 'acme', expectedQty: 0, receivedQty: 0, damagedQty: 0, unexpected: false, ...overrides };
}

export function orderLine(overrides: Partial<OrderLine> & Pick<OrderLine, 'id' | 'orderId' | 'productId' | 'qty'>): OrderLine {
  return { ownerId: 'acme', pickedQty: 0, packedQty: 0, ...overrides };
}

export function pickLine(overrides: Partial<PickLine> & Pick<PickLine, 'id' | 'orderLineId' | 'productId' | 'locationId' | 'qty'>): PickLine {
  return {
    pickListId: 'pl-1',
    ownerId: 'acme',
    orderId: 'o-1',
    lot: null,
    pickedQty: 0,
    shortQty: 0,
    shortReason: null,
    status: 'open',
    walkSeq: 0,
    ...overrides,
  };
}

export function returnLine(overrides: Partial<ReturnLine> & Pick<ReturnLine, 'id' | 'returnId' | 'productId' | 'authorisedQty'>): ReturnLine {
  return { ownerId: 'acme', receivedQty: 0, restockedQty: 0, damagedQty: 0, quarantinedQty: 0, ...overrides };
}

/** Everyone on the floor: an operator for every client, one limited to globex, a supervisor. */
export const ACTORS = {
  operator: { userId: 'u-op', deviceId: 'd-1', role: 'operator', ownerIds: null },
  globexOnly: { userId: 'u-gx', deviceId: 'd-2', role: 'operator', ownerIds: ['globex'] },
  supervisor: { userId: 'u-sv', deviceId: 'd-3', role: 'supervisor', ownerIds: null },
} as const satisfies Record<string, Actor>;

/**
 * The bins along the walk: dock, pick face A-01-01, storage A-01-02, a small bin B-01-01 (holds
 * 10), and the pack, returns, damaged and quarantine locations.
 */
export const LOCATIONS: Location[] = [
  location({ id: 'loc-dock', code: 'DOCK-01', type: 'dock', walkSeq: 0 }),
  location({ id: 'loc-a0101', code: 'A-01-01', type: 'pick_face', walkSeq: 10 }),
  location({ id: 'loc-a0102', code: 'A-01-02', type: 'storage', walkSeq: 20 }),
  location({ id: 'loc-b0101', code: 'B-01-01', type: 'storage', zone: 'B', walkSeq: 30, capacity: 10 }),
  location({ id: 'loc-pack', code: 'PACK-01', type: 'pack', walkSeq: 900 }),
  location({ id: 'loc-ret', code: 'RET-01', type: 'returns', walkSeq: 910 }),
  location({ id: 'loc-dmg', code: 'DMG-01', type: 'damaged', walkSeq: 920 }),
  location({ id: 'loc-qua', code: 'QUA-01', type: 'quarantine', walkSeq: 930 }),
];

/**
 * acme (10% over-receipt tolerance, no unexpected items) owns a widget, a lot- and
 * expiry-tracked serum and a gizmo; globex (unexpected items allowed) owns a gadget.
 * Order o-1 (widget ×3 from A-01-01, serum lot L1 ×2 from A-01-02) is on pick list pl-1, staged
 * at PACK-01; order o-g is globex's, on pick list pl-g.
 */
export function warehouseRows(): Rows {
  const receipt = (overrides: Partial<Receipt> & Pick<Receipt, 'id'>): Receipt => ({
    ownerId: 'acme',
    number: overrides.id.toUpperCase(),
    kind: 'asn',
    supplier: 'Supplier Co',
    status: 'open',
    dockLocationId: 'loc-dock',
    expectedAt: TODAY,
    ...overrides,
  });
  const order = (overrides: Partial<Order> & Pick<Order, 'id'>): Order => ({
    ownerId: 'acme',
    number: `#${overrides.id}`,
    source: 'demo',
    status: 'allocated',
    customerName: 'A Customer',
    createdAt: NOW,
    ...overrides,
  });
  const pickList = (overrides: Partial<PickList> & Pick<PickList, 'id'>): PickList => ({
    ownerId: 'acme',
    number: overrides.id.toUpperCase(),
    status: 'open',
    stagingLocationId: 'loc-pack',
    createdAt: NOW,
    ...overrides,
  });
  const ret = (overrides: Partial<Return> & Pick<Return, 'id'>): Return => ({
    ownerId: 'acme',
    rma: `RMA-${overrides.id}`,
    orderId: null,
    status: 'open',
    returnsLocationId: 'loc-ret',
    ...overrides,
  });

  return {
    owners: [
      owner({ id: 'acme', overReceiptTolerancePct: 10 }),
      owner({ id: 'globex', allowUnexpectedItems: true }),
    ],
    products: [
      product({ id: 'p-widget', ownerId: 'acme', sku: 'WID-1', name: 'Widget', barcodes: ['00036000291452', 'WID-1'], pickFaceLocationId: 'loc-a0101' }),
      product({ id: 'p-serum', ownerId: 'acme', sku: 'SER-1', name: 'Serum', lotTracked: true, expiryTracked: true }),
      product({ id: 'p-gizmo', ownerId: 'acme', sku: 'GIZ-1', name: 'Gizmo' }),
      product({ id: 'p-gadget', ownerId: 'globex', sku: 'GAD-1', name: 'Gadget' }),
    ],
    locations: LOCATIONS,
    stock: [
      stock('loc-a0101', 'p-widget', 20),
      stock('loc-a0102', 'p-serum', 5, { lot: 'L2', expiry: '2026-09-30' }),
      stock('loc-a0102', 'p-serum', 5, { lot: 'L1', expiry: '2026-03-31' }),
      stock('loc-b0101', 'p-gizmo', 3),
      stock('loc-a0102', 'p-gadget', 10, { ownerId: 'globex' }),
    ],
    receipts: [
      receipt({ id: 'r-1' }),
      receipt({ id: 'r-closed', status: 'closed' }),
      receipt({ id: 'r-g', ownerId: 'globex' }),
    ],
    receiptLines: [
      receiptLine({ id: 'rl-widget', receiptId: 'r-1', productId: 'p-widget', expectedQty: 10 }),
      receiptLine({ id: 'rl-serum', receiptId: 'r-1', productId: 'p-serum', expectedQty: 4 }),
    ],
    orders: [order({ id: 'o-1' }), order({ id: 'o-g', ownerId: 'globex' })],
    orderLines: [
      orderLine({ id: 'ol-widget', orderId: 'o-1', productId: 'p-widget', qty: 3 }),
      orderLine({ id: 'ol-serum', orderId: 'o-1', productId: 'p-serum', qty: 2 }),
      orderLine({ id: 'ol-gadget', orderId: 'o-g', ownerId: 'globex', productId: 'p-gadget', qty: 1 }),
    ],
    pickLists: [pickList({ id: 'pl-1' }), pickList({ id: 'pl-g', ownerId: 'globex' })],
    pickLines: [
      pickLine({ id: 'pk-widget', orderLineId: 'ol-widget', productId: 'p-widget', locationId: 'loc-a0101', qty: 3, walkSeq: 10 }),
      pickLine({ id: 'pk-serum', orderLineId: 'ol-serum', productId: 'p-serum', locationId: 'loc-a0102', lot: 'L1', qty: 2, walkSeq: 20 }),
      pickLine({ id: 'pk-gadget', pickListId: 'pl-g', ownerId: 'globex', orderId: 'o-g', orderLineId: 'ol-gadget', productId: 'p-gadget', locationId: 'loc-a0102', qty: 1, walkSeq: 20 }),
    ],
    cartonTypes: [
      { id: 'box-s', ownerId: 'acme', code: 'BOX-S', name: 'Small box', lengthMm: 250, widthMm: 200, heightMm: 100, maxWeightGrams: 5000 },
      { id: 'box-l', ownerId: 'acme', code: 'BOX-L', name: 'Large box', lengthMm: 500, widthMm: 400, heightMm: 300, maxWeightGrams: null },
      { id: 'box-g', ownerId: 'globex', code: 'BOX-G', name: 'Globex box', lengthMm: 300, widthMm: 300, heightMm: 300, maxWeightGrams: null },
    ],
    returns: [ret({ id: 'ret-1' }), ret({ id: 'ret-closed', status: 'closed' })],
    returnLines: [
      returnLine({ id: 'retl-widget', returnId: 'ret-1', productId: 'p-widget', authorisedQty: 2 }),
      returnLine({ id: 'retl-gizmo', returnId: 'ret-1', productId: 'p-gizmo', authorisedQty: 1 }),
    ],
  };
}

export interface Warehouse {
  reader: MemoryReader;
  /** A rule context on this warehouse, as `actor` (the all-clients operator by default). */
  ctx(actor?: Actor): RuleContext;
}

export function warehouse(rows: Rows = warehouseRows()): Warehouse {
  const reader = new MemoryReader(rows);
  return { reader, ctx: (actor = ACTORS.operator) => ({ actor, reader, today: TODAY, now: NOW }) };
}
