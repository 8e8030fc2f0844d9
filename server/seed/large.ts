// A large synthetic warehouse for benchmarks (`npm run seed -- --products 50000 --bins 20000
// --orders 5000`): same owners and users as the demo, sizes as asked, reproducible run to run.
import { allocateOrders } from '../../src/domain/allocation';
import type { Location, Order, OrderLine, Product, StockRow } from '../../src/domain/entities';
import { stockId } from '../../src/domain/entities';
import { productBarcodeKey } from '../../src/domain/gtin';
import { DEMO_OWNERS, addDays, demoCartonTypes, seedUsers, withCheckDigit } from './demo';
import type { WarehouseData } from './types';

export interface LargeOptions {
  products: number;
  /** Storage and pick-face bins; dock, pack, returns, quarantine and damaged come on top. */
  bins: number;
  orders: number;
  today: string;
}

/** Bays per aisle side to side; with LEVELS levels an aisle holds 100 bins. */
const BAYS = 25;
/** Level 1 is the pick face, the levels above are storage. */
const LEVELS = 4;
/** Aisles per zone. */
const AISLES_PER_ZONE = 10;
/** Every Nth product is lot- and expiry-tracked. */
const LOT_EVERY = 10;
/** Every Nth product also carries a case GTIN-14. */
const CASE_EVERY = 5;
/** Share of order lines drawn from products with a pick face (the fast movers). */
const FAST_SHARE = 0.7;

/** mulberry32: a small seeded PRNG, so the same options give the same warehouse. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Zone names A…Z, then AA, AB…: as many as the bins need. */
function zoneName(index: number): string {
  let n = index;
  let name = '';
  do {
    name = String.fromCharCode(65 + (n % 26)) + name;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return name;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Bins in aisles of BAYS × LEVELS, walked in a snake: odd aisles up, even aisles down. */
function buildBins(count: number): Location[] {
  const bins: Location[] = [];
  const perAisle = BAYS * LEVELS;
  for (let i = 0; i < count; i++) {
    const aisleIndex = Math.floor(i / perAisle);
    const within = i % perAisle;
    const step = Math.floor(within / LEVELS);
    const level = (within % LEVELS) + 1;
    const bay = aisleIndex % 2 === 0 ? step + 1 : BAYS - step;
    const zone = zoneName(Math.floor(aisleIndex / AISLES_PER_ZONE));
    const aisle = `${zone}${pad((aisleIndex % AISLES_PER_ZONE) + 1, 2)}`;
    const code = `${aisle}-${pad(bay, 2)}-${level}`;
    bins.push({
      id: `loc-${code}`,
      code,
      zone,
      type: level === 1 ? 'pick_face' : 'storage',
      aisle,
      level: String(level),
      walkSeq: (i + 1) * 10,
      capacity: null,
    });
  }
  return bins;
}

function specialLocations(): Location[] {
  const at = (code: string, zone: string, type: Location['type'], walkSeq: number): Location => ({
    id: `loc-${code}`,
    code,
    zone,
    type,
    aisle: null,
    level: null,
    walkSeq,
    capacity: null,
  });
  return [
    at('DOCK-1', 'DOCK', 'dock', 0),
    at('DOCK-2', 'DOCK', 'dock', 1),
    at('PACK-1', 'PACK', 'pack', 2_000_000_000),
    at('RET-1', 'RETURNS', 'returns', 2_000_000_010),
    at('QUAR-1', 'HOLD', 'quarantine', 2_000_000_020),
    at('DMG-1', 'HOLD', 'damaged', 2_000_000_030),
  ];
}

export function largeWarehouse(opts: LargeOptions): WarehouseData {
  const productCount = Math.max(1, Math.floor(opts.products));
  const binCount = Math.max(2, Math.floor(opts.bins));
  const orderCount = Math.max(0, Math.floor(opts.orders));
  const { today } = opts;
  const random = prng(0x0d0c4a4d ^ productCount ^ (binCount << 8) ^ (orderCount << 16));
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const bins = buildBins(binCount);
  const faces = bins.filter((b) => b.type === 'pick_face');
  const storage = bins.filter((b) => b.type === 'storage');
  // Too few bins for any storage level: the pick faces double as the only place stock lives.
  const reserve = storage.length > 0 ? storage : faces;
  const owners = DEMO_OWNERS;

  const products: Product[] = [];
  const stock: StockRow[] = [];
  const idWidth = Math.max(6, String(productCount).length);
  for (let i = 0; i < productCount; i++) {
    const owner = owners[i % owners.length]!;
    const id = `prd-${pad(i + 1, idWidth)}`;
    // GTIN-13 bodies are "50" and the product number: unique by construction, never random.
    const unit = withCheckDigit(`50${pad(i + 1, 10)}`);
    const sku = `${owner.code}-${pad(i + 1, idWidth)}`;
    const codes = [unit, sku];
    if (i % CASE_EVERY === 0) codes.splice(1, 0, withCheckDigit(`1${unit.slice(0, 12)}`));
    const lots = i % LOT_EVERY === 0;
    // The first products take the pick faces, one each: the fast movers.
    const face = i < faces.length ? faces[i]! : null;
    const firstBin = face ?? reserve[int(0, reserve.length - 1)]!;
    products.push({
      id,
      ownerId: owner.id,
      sku,
      name: `Item ${pad(i + 1, idWidth)} ${owner.name}`,
      barcodes: codes.map(productBarcodeKey),
      lotTracked: lots,
      expiryTracked: lots,
      serialTracked: false,
      zone: firstBin.zone,
      pickFaceLocationId: face?.id ?? null,
    });

    // Two stock rows per product: pick face (or a storage bin) and a storage bin; lot-tracked
    // products get a different lot in each, the second expiring later.
    let second = reserve[int(0, reserve.length - 1)]!;
    if (second.id === firstBin.id) second = reserve[(reserve.indexOf(second) + 1) % reserve.length]!;
    const firstExpiry = lots ? addDays(today, int(20, 300)) : null;
    const rows: [Location, string | null, string | null, number][] = [
      [firstBin, lots ? `L${pad(i + 1, idWidth)}A` : null, firstExpiry, int(20, 120)],
      [second, lots ? `L${pad(i + 1, idWidth)}B` : null, lots ? addDays(today, int(301, 600)) : null, int(40, 400)],
    ];
    for (const [bin, lot, expiry, qty] of rows) {
      const row: StockRow = { id: stockId(bin.id, id, lot, null), ownerId: owner.id, locationId: bin.id, productId: id, lot, expiry, lpn: null, qty };
      const same = stock.at(-1);
      // With a single reserve bin both rows can land together: one balance, not two.
      if (same && same.id === row.id) same.qty += qty;
      else stock.push(row);
    }
  }

  // Orders: 1–4 lines of one owner's products, mostly fast movers.
  const byOwner = owners.map((o, k) => ({
    owner: o,
    fast: products.filter((p, i) => i % owners.length === k && p.pickFaceLocationId !== null),
    all: products.filter((_, i) => i % owners.length === k),
  }));
  const orders: Order[] = [];
  const orderLines: OrderLine[] = [];
  for (let n = 0; n < orderCount; n++) {
    const group = byOwner[n % byOwner.length]!;
    if (group.all.length === 0) continue;
    const id = `52${pad(n + 1, 17)}`;
    orders.push({
      id,
      ownerId: group.owner.id,
      number: `#${100_000 + n}`,
      source: 'shopify',
      status: 'open',
      customerName: `Customer ${pad(n + 1, 6)}`,
      createdAt: `${addDays(today, -1)}T${pad(8 + Math.floor((n / Math.max(1, orderCount)) * 12), 2)}:00:00Z`,
    });
    const used = new Set<string>();
    const lineCount = int(1, 4);
    for (let l = 0; l < lineCount; l++) {
      const pool = group.fast.length > 0 && random() < FAST_SHARE ? group.fast : group.all;
      const product = pool[int(0, pool.length - 1)]!;
      if (used.has(product.id)) continue;
      used.add(product.id);
      orderLines.push({ id: `${id}-${l + 1}`, orderId: id, ownerId: group.owner.id, productId: product.id, qty: int(1, 3), pickedQty: 0, packedQty: 0 });
    }
  }

  const locations = [...bins, ...specialLocations()];
  const allocation = allocateOrders({
    orders,
    orderLines,
    stock,
    locations,
    products,
    stagingLocationId: 'loc-PACK-1',
    today,
    createdAt: `${today}T06:00:00Z`,
  });
  const allocated = new Map(allocation.orders.map((o) => [o.id, o]));

  return {
    users: seedUsers(),
    rows: {
      owners: owners.map((o) => ({ ...o })),
      products,
      cartonTypes: demoCartonTypes(),
      locations,
      stock,
      orders: orders.map((o) => allocated.get(o.id) ?? o),
      orderLines,
      pickLists: allocation.pickLists,
      pickLines: allocation.pickLines,
    },
  };
}
