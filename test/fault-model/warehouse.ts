// The floor of a fault-model run: fixed users (one per device slot, owners overlapping so
// devices compete) and a small warehouse drawn from the seed, with stock scarce enough and pick
// lines allocated over it, so that two devices often want the last unit.
import { stockId, type Location, type PickLine, type Product, type RowOf } from '../../src/domain/entities';
import type { SeedUser, WarehouseData } from '../../server/seed/types';
import type { Prng } from './prng';

export const TODAY = '2026-11-25';
/** The simulated clock's start: the morning shift. */
export const START_TIME = Date.parse(`${TODAY}T06:00:00.000Z`);

export const OWNERS = ['own-a', 'own-b'] as const;

const PIN = '4321';

/** One user per device slot. The first three share owner A's stock; the last two reach B. */
export const DEVICE_USERS: readonly SeedUser[] = [
  { username: 'fm-a1', displayName: 'Ann (A)', pin: PIN, role: 'operator', ownerIds: ['own-a'] },
  { username: 'fm-a2', displayName: 'Abe (A)', pin: PIN, role: 'operator', ownerIds: ['own-a'] },
  { username: 'fm-all', displayName: 'Ola (all owners)', pin: PIN, role: 'operator', ownerIds: null },
  { username: 'fm-b', displayName: 'Bea (B)', pin: PIN, role: 'operator', ownerIds: ['own-b'] },
  { username: 'fm-ab', displayName: 'Abby (A and B)', pin: PIN, role: 'operator', ownerIds: ['own-a', 'own-b'] },
];

export const MAX_DEVICES = DEVICE_USERS.length;

/** Device slot `index`'s stable id (a UUID, as a browser's `crypto.randomUUID` makes them). */
export const deviceIdOf = (index: number) => `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;

const DOCK = 'loc-dock';
const PACK = 'loc-pack';

/** A small warehouse for one seed; every table the three workflows touch has rows. */
export function generateWarehouse(prng: Prng): WarehouseData {
  const locations: Location[] = [
    { id: DOCK, code: 'DOCK-1', zone: 'A', type: 'dock', aisle: null, level: null, walkSeq: 0, capacity: null },
    { id: PACK, code: 'PACK-1', zone: 'A', type: 'pack', aisle: null, level: null, walkSeq: 90, capacity: null },
    { id: 'loc-dmg', code: 'DMG-1', zone: 'A', type: 'damaged', aisle: null, level: null, walkSeq: 97, capacity: null },
  ];
  const bins = Array.from({ length: prng.int(3, 5) }, (_, i): Location => ({
    id: `loc-b${i + 1}`,
    code: `A-0${i + 1}-1`,
    zone: 'A',
    type: i % 2 === 0 ? 'pick_face' : 'storage',
    aisle: `A-0${i + 1}`,
    level: null,
    walkSeq: (i + 1) * 10,
    capacity: null,
  }));
  locations.push(...bins);
  const pickFaces = bins.filter((bin) => bin.type === 'pick_face');

  const products: Product[] = [];
  for (const ownerId of OWNERS) {
    const count = prng.int(1, 2);
    for (let i = 1; i <= count; i++) {
      const sku = `${ownerId.slice(-1).toUpperCase()}-SKU${i}`;
      products.push({
        id: `prd-${ownerId.slice(-1)}${i}`, ownerId, sku, name: `Product ${sku}`, barcodes: [sku],
        lotTracked: false, expiryTracked: false, serialTracked: false, zone: 'A', pickFaceLocationId: prng.chance(0.6) ? prng.pick(pickFaces).id : null,
      });
    }
  }

  const stock: RowOf<'stock'>[] = [];
  for (const product of products) {
    const held = new Set<string>();
    for (let n = prng.int(1, 2); n > 0; n--) {
      const bin = prng.pick(bins);
      if (held.has(bin.id)) continue;
      held.add(bin.id);
      stock.push({ id: stockId(bin.id, product.id, null, null), ownerId: product.ownerId, locationId: bin.id, productId: product.id, lot: null, expiry: null, lpn: null, qty: prng.int(1, 3) });
    }
  }

  const receipts: RowOf<'receipts'>[] = [];
  const receiptLines: RowOf<'receiptLines'>[] = [];
  for (const ownerId of OWNERS) {
    const receiptId = `rcp-${ownerId.slice(-1)}`;
    receipts.push({ id: receiptId, ownerId, number: `ASN-${ownerId.slice(-1).toUpperCase()}`, kind: 'asn', supplier: 'Supplier', status: 'open', dockLocationId: DOCK, expectedAt: TODAY });
    for (const product of products.filter((p) => p.ownerId === ownerId)) {
      receiptLines.push({ id: `rcl-${product.id}`, receiptId, ownerId, productId: product.id, expectedQty: prng.int(2, 6), receivedQty: 0, damagedQty: 0, unexpected: false });
    }
  }

  const orders: RowOf<'orders'>[] = [];
  const orderLines: RowOf<'orderLines'>[] = [];
  const pickLists: RowOf<'pickLists'>[] = [];
  const pickLines: PickLine[] = [];
  let number = 1;
  for (const ownerId of OWNERS) {
    const held = stock.filter((row) => row.ownerId === ownerId);
    for (let list = prng.int(1, 2); list > 0; list--, number++) {
      const orderId = String(5_000_000_000_000_000_000n + BigInt(number));
      const pickListId = `pl-${number}`;
      orders.push({ id: orderId, ownerId, number: `#${1000 + number}`, source: 'demo', status: 'allocated', customerName: `Customer ${number}`, createdAt: `${TODAY}T05:00:00.000Z` });
      pickLists.push({ id: pickListId, ownerId, number: `PL-${String(number).padStart(6, '0')}`, status: 'open', stagingLocationId: PACK, createdAt: `${TODAY}T05:30:00.000Z` });
      for (let line = prng.int(1, 2); line > 0; line--) {
        // Allocated over what the bin holds: lists compete for the same units.
        const source = prng.pick(held);
        const lineId = `${pickListId}-${line}`;
        const qty = prng.int(1, 3);
        const walkSeq = bins.find((bin) => bin.id === source.locationId)!.walkSeq;
        orderLines.push({ id: `orl-${lineId}`, orderId, ownerId, productId: source.productId, qty, pickedQty: 0, packedQty: 0 });
        pickLines.push({ id: `pln-${lineId}`, pickListId, ownerId, orderId, orderLineId: `orl-${lineId}`, productId: source.productId, locationId: source.locationId, lot: null, qty, pickedQty: 0, shortQty: 0, shortReason: null, status: 'open', walkSeq });
      }
    }
  }

  return {
    users: [...DEVICE_USERS],
    rows: {
      owners: [
        { id: 'own-a', code: 'ACME', name: 'Acme Coffee', overReceiptTolerancePct: 10, allowUnexpectedItems: false, packQuantityTyped: false },
        { id: 'own-b', code: 'BETA', name: 'Beta Outdoor', overReceiptTolerancePct: 0, allowUnexpectedItems: true, packQuantityTyped: false },
      ],
      locations, products, stock, receipts, receiptLines, orders, orderLines, pickLists, pickLines,
    },
  };
}
