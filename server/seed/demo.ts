// The demo warehouse: a small 3PL with three merchants, a snaking bin map, stock, open receipts,
// orders allocated into pick lists, and a return. Deterministic for a given `today`.
import { allocateOrders } from '../../src/domain/allocation';
import type {
  CartonType,
  Location,
  Lpn,
  Order,
  OrderLine,
  Owner,
  Product,
  Receipt,
  ReceiptLine,
  Return,
  ReturnLine,
  Shipment,
  StockRow,
} from '../../src/domain/entities';
import { stockId } from '../../src/domain/entities';
import { gs1CheckDigit, productBarcodeKey } from '../../src/domain/gtin';
import type { SeedUser, WarehouseData } from './types';

/** Bays per aisle; each bay has a pick face (level 1) under a storage bin (level 2). */
const BAYS = 20;
/** The first pick list number the demo uses, so lists read like an operation already running. */
const FIRST_PICK_LIST = 101;

/** The three merchants; the large benchmark warehouse stocks the same ones. */
export const DEMO_OWNERS: readonly Owner[] = [
  { id: 'own-northwind', code: 'NWC', name: 'Northwind Coffee', overReceiptTolerancePct: 5, allowUnexpectedItems: false, packQuantityTyped: false },
  { id: 'own-harbor', code: 'HBO', name: 'Harbor Outdoor', overReceiptTolerancePct: 10, allowUnexpectedItems: true, packQuantityTyped: false },
  { id: 'own-pip', code: 'PIP', name: 'Pip & Co Baby', overReceiptTolerancePct: 0, allowUnexpectedItems: false, packQuantityTyped: true },
];

/**
 * The boxes each merchant ships in: the station's shelf labels read BOX-S, BOX-M, BOX-L, plus a
 * merchant's own (coffee mailers, a tent box). Inner dimensions in mm, the rated load in grams.
 */
const BOXES: Record<string, [code: string, name: string, l: number, w: number, h: number, maxGrams: number | null][]> = {
  'own-northwind': [
    ['MAILER', 'Coffee mailer', 250, 180, 80, 3000],
    ['BOX-S', 'Small box', 300, 200, 150, 5000],
    ['BOX-M', 'Medium box', 400, 300, 200, 12_000],
  ],
  'own-harbor': [
    ['BOX-S', 'Small box', 300, 200, 150, 5000],
    ['BOX-M', 'Medium box', 450, 350, 250, 15_000],
    ['BOX-L', 'Large box', 600, 400, 400, 25_000],
    ['TENT', 'Tent box', 700, 300, 300, 25_000],
  ],
  'own-pip': [
    ['BOX-S', 'Small box', 250, 200, 100, 3000],
    ['BOX-M', 'Medium box', 400, 300, 200, 12_000],
  ],
};

export function demoCartonTypes(): CartonType[] {
  return DEMO_OWNERS.flatMap((owner) =>
    (BOXES[owner.id] ?? []).map(([code, name, lengthMm, widthMm, heightMm, maxWeightGrams]) => ({
      id: `box-${owner.code.toLowerCase()}-${code.toLowerCase()}`,
      ownerId: owner.id,
      code,
      name,
      lengthMm,
      widthMm,
      heightMm,
      maxWeightGrams,
    })),
  );
}

/** Each owner's goods live in one zone, one aisle of the same letter. */
const OWNER_ZONE: Record<string, string> = { 'own-northwind': 'A', 'own-harbor': 'B', 'own-pip': 'C' };

/**
 * Unit GTINs are built from a company prefix and an item reference: Northwind and Pip carry
 * EAN-13s (UK and NZ prefixes), Harbor UPC-As, as an American brand would.
 */
const GTIN_PREFIX: Record<string, { prefix: string; kind: 'ean13' | 'upca' }> = {
  'own-northwind': { prefix: '5060123', kind: 'ean13' },
  'own-harbor': { prefix: '841234', kind: 'upca' },
  'own-pip': { prefix: '9421902', kind: 'ean13' },
};

interface ProductSpec {
  sku: string;
  name: string;
  /** Lot and expiry tracked (coffee, formula, food). */
  lots?: boolean;
  /** Also sold by the case: carries a GTIN-14 case code. */
  caseGtin?: boolean;
  /** Each unit has its own serial number (a recall can name it), recorded when packed. */
  serials?: boolean;
  /** Units in the pick face; 0 leaves it empty. */
  face: number;
  /** Units in the storage bin above; 0 leaves it empty for putaway. */
  storage: number;
  /** No pick face: bulky or new, picked from storage. */
  noFace?: boolean;
  /** Days until the pick-face lot expires (lot-tracked only); the storage lot is later. */
  faceExpiryDays?: number;
}

const CATALOGUE: Record<string, ProductSpec[]> = {
  'own-northwind': [
    { sku: 'NWC-ESP-250', name: 'Espresso Roast Whole Bean 250 g', lots: true, caseGtin: true, face: 36, storage: 144, faceExpiryDays: 95 },
    { sku: 'NWC-ESP-1K', name: 'Espresso Roast Whole Bean 1 kg', lots: true, caseGtin: true, face: 18, storage: 60, faceExpiryDays: 120 },
    { sku: 'NWC-HSE-250', name: 'House Blend Ground 250 g', lots: true, face: 40, storage: 96, faceExpiryDays: 75 },
    { sku: 'NWC-DEC-250', name: 'Swiss Water Decaf Whole Bean 250 g', lots: true, face: 24, storage: 0, faceExpiryDays: 140 },
    { sku: 'NWC-ETH-250', name: 'Ethiopia Yirgacheffe Single Origin 250 g', lots: true, face: 20, storage: 48, faceExpiryDays: 110 },
    { sku: 'NWC-COL-250', name: 'Colombia Huila Single Origin 250 g', lots: true, face: 22, storage: 0, faceExpiryDays: 130 },
    { sku: 'NWC-CBR-12', name: 'Cold Brew Can 250 ml, 12-pack', lots: true, caseGtin: true, face: 15, storage: 40, faceExpiryDays: 180 },
    { sku: 'NWC-CAP-10', name: 'Espresso Capsules, 10 count', face: 60, storage: 240 },
    { sku: 'NWC-FLT-100', name: 'Cone Paper Filters #4, 100 count', face: 24, storage: 200 },
    { sku: 'NWC-MUG-ENM', name: 'Enamel Camp Mug 350 ml', face: 30, storage: 0 },
    { sku: 'NWC-MUG-CER', name: 'Ceramic Logo Mug 300 ml', caseGtin: true, face: 28, storage: 72 },
    { sku: 'NWC-TIN-500', name: 'Airtight Coffee Canister 500 g', face: 16, storage: 0 },
    { sku: 'NWC-GRD-HND', name: 'Hand Burr Grinder', face: 12, storage: 24 },
    { sku: 'NWC-KET-GOS', name: 'Gooseneck Pour-Over Kettle 1 L', face: 10, storage: 0 },
    { sku: 'NWC-DRP-02', name: 'Ceramic Pour-Over Dripper Size 02', face: 18, storage: 0 },
    { sku: 'NWC-FRP-350', name: 'French Press 350 ml', face: 14, storage: 36 },
    { sku: 'NWC-SYR-VAN', name: 'Vanilla Syrup 750 ml', face: 20, storage: 0 },
    { sku: 'NWC-CHA-200', name: 'Masala Chai Loose Leaf 200 g', face: 25, storage: 0 },
    { sku: 'NWC-GFT-TRIO', name: 'Tasting Trio Gift Box', face: 0, storage: 0, noFace: true },
    { sku: 'NWC-TOT-CNV', name: 'Canvas Tote Bag', face: 40, storage: 0 },
  ],
  'own-harbor': [
    { sku: 'HBO-TNT-2P', name: 'Ridgeline 2-Person Backpacking Tent', caseGtin: true, face: 6, storage: 20 },
    { sku: 'HBO-TNT-4P', name: 'Basecamp 4-Person Dome Tent', face: 4, storage: 12 },
    { sku: 'HBO-SLB-20F', name: 'Alpine Down Sleeping Bag 20°F, Regular', face: 8, storage: 16 },
    { sku: 'HBO-SLB-40F', name: 'Summer Synthetic Sleeping Bag 40°F', face: 10, storage: 0 },
    { sku: 'HBO-PAD-INF', name: 'Insulated Inflatable Sleeping Pad', face: 12, storage: 24 },
    { sku: 'HBO-HLP-350', name: 'Trail Headlamp 350 lm', caseGtin: true, face: 30, storage: 120 },
    { sku: 'HBO-BTL-1L', name: 'Insulated Water Bottle 1 L, Slate', caseGtin: true, face: 24, storage: 96 },
    { sku: 'HBO-BTL-750', name: 'Insulated Water Bottle 750 ml, Sage', face: 24, storage: 0 },
    { sku: 'HBO-POL-CF', name: 'Carbon Trekking Poles (pair)', face: 10, storage: 0 },
    { sku: 'HBO-CRB-LCK', name: 'Locking Carabiner', face: 80, storage: 0 },
    { sku: 'HBO-DRY-20L', name: 'Roll-Top Dry Bag 20 L', face: 18, storage: 36 },
    { sku: 'HBO-JKT-M', name: "Storm Shell Rain Jacket, Men's M", face: 8, storage: 0 },
    { sku: 'HBO-JKT-L', name: "Storm Shell Rain Jacket, Men's L", face: 8, storage: 0 },
    { sku: 'HBO-JKT-WS', name: "Storm Shell Rain Jacket, Women's S", face: 6, storage: 0 },
    { sku: 'HBO-STV-CMP', name: 'Compact Canister Stove', face: 12, storage: 0, serials: true },
    { sku: 'HBO-FUL-230', name: 'Isobutane Fuel Canister 230 g', face: 24, storage: 48 },
    { sku: 'HBO-FAK-TRL', name: 'Trail First Aid Kit', face: 15, storage: 0 },
    { sku: 'HBO-SOK-MW', name: 'Merino Hiking Socks, M', face: 40, storage: 0 },
    { sku: 'HBO-HAT-SUN', name: 'Wide-Brim Sun Hat', face: 14, storage: 0 },
    { sku: 'HBO-CHR-FLD', name: 'Folding Camp Chair', face: 0, storage: 18, noFace: true },
  ],
  'own-pip': [
    { sku: 'PIP-FRM-S1-800', name: 'Stage 1 Infant Formula 800 g', lots: true, caseGtin: true, face: 6, storage: 96, faceExpiryDays: 12 },
    { sku: 'PIP-FRM-S2-800', name: 'Stage 2 Follow-On Formula 800 g', lots: true, caseGtin: true, face: 18, storage: 72, faceExpiryDays: 260 },
    { sku: 'PIP-PUR-APL', name: 'Organic Apple & Pear Pouch 120 g', lots: true, face: 48, storage: 0, faceExpiryDays: 150 },
    { sku: 'PIP-WIP-80', name: 'Fragrance-Free Baby Wipes, 80 count', caseGtin: true, face: 50, storage: 200 },
    { sku: 'PIP-SWD-3PK', name: 'Muslin Swaddle Blankets, 3-pack', face: 20, storage: 0 },
    { sku: 'PIP-BTL-260', name: 'Anti-Colic Bottle 260 ml', face: 30, storage: 60 },
    { sku: 'PIP-BTL-150', name: 'Anti-Colic Bottle 150 ml', face: 30, storage: 0 },
    { sku: 'PIP-PAC-0-6', name: 'Orthodontic Pacifier 0–6 m, 2-pack', face: 36, storage: 0 },
    { sku: 'PIP-ONE-0-3', name: 'Organic Cotton Bodysuit 0–3 m', face: 25, storage: 0 },
    { sku: 'PIP-ONE-3-6', name: 'Organic Cotton Bodysuit 3–6 m', face: 25, storage: 0 },
    { sku: 'PIP-ONE-6-12', name: 'Organic Cotton Bodysuit 6–12 m', face: 20, storage: 0 },
    { sku: 'PIP-TTH-RNG', name: 'Silicone Teething Ring', face: 32, storage: 0 },
    { sku: 'PIP-WSH-250', name: 'Gentle Baby Wash 250 ml', face: 24, storage: 48 },
    { sku: 'PIP-BIB-5PK', name: 'Waterproof Bibs, 5-pack', face: 18, storage: 0 },
    { sku: 'PIP-SPN-SIL', name: 'Silicone Weaning Spoons, 4-pack', face: 22, storage: 0 },
    { sku: 'PIP-BLK-KNT', name: 'Knitted Cot Blanket, Oat', face: 10, storage: 0 },
    { sku: 'PIP-HAT-NB', name: 'Newborn Knot Hat', face: 26, storage: 0 },
    { sku: 'PIP-SCK-3PK', name: 'Baby Socks, 3-pack', face: 30, storage: 0 },
    { sku: 'PIP-BRM-DIA', name: 'Diaper Balm 75 g', face: 28, storage: 0 },
    { sku: 'PIP-CUP-SPT', name: 'Spill-Proof Sippy Cup', face: 24, storage: 0 },
  ],
};

/** `YYYY-MM-DD` plus `days` (negative for earlier), in UTC so no time zone shifts it. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** `body` followed by its GS1 check digit. */
export function withCheckDigit(body: string): string {
  return `${body}${gs1CheckDigit(body)}`;
}

/** The case GTIN-14 of a unit GTIN-12/13: packaging indicator 1, same item, new check digit. */
export function caseGtin14(unitGtin: string): string {
  return withCheckDigit(`1${unitGtin.padStart(13, '0').slice(0, 12)}`);
}

/** A UPS 1Z tracking number with its check digit, so carrier recognition accepts it. */
function upsTracking(body15: string): string {
  let sum = 0;
  for (let i = 0; i < body15.length; i++) {
    const c = body15.charCodeAt(i);
    const value = c >= 48 && c <= 57 ? c - 48 : (c - 63) % 10;
    sum += i % 2 === 1 ? value * 2 : value;
  }
  return `1Z${body15}${(10 - (sum % 10)) % 10}`;
}

function bayCode(aisle: string, bay: number, level: number): string {
  return `${aisle}-${String(bay).padStart(2, '0')}-${level}`;
}

function locationId(code: string): string {
  return `loc-${code}`;
}

/**
 * The bin map: aisles A, B, C (zones of the same letters), 20 bays each, a pick face at level 1
 * under a storage bin at level 2. The walk snakes: A up, B down, C up.
 */
function buildLocations(): Location[] {
  const locations: Location[] = [];
  let seq = 0;
  ['A', 'B', 'C'].forEach((aisle, aisleIndex) => {
    for (let step = 1; step <= BAYS; step++) {
      const bay = aisleIndex % 2 === 0 ? step : BAYS + 1 - step;
      for (const level of [1, 2]) {
        seq += 10;
        const code = bayCode(aisle, bay, level);
        locations.push({
          id: locationId(code),
          code,
          zone: aisle,
          type: level === 1 ? 'pick_face' : 'storage',
          aisle,
          level: String(level),
          walkSeq: seq,
          capacity: level === 1 ? 120 : 600,
        });
      }
    }
  });
  const special = (code: string, zone: string, type: Location['type'], walkSeq: number): Location => ({
    id: locationId(code),
    code,
    zone,
    type,
    aisle: null,
    level: null,
    walkSeq,
    capacity: null,
  });
  locations.push(
    special('DOCK-1', 'DOCK', 'dock', 0),
    special('DOCK-2', 'DOCK', 'dock', 1),
    special('PACK-1', 'PACK', 'pack', 10_000),
    special('RET-1', 'RETURNS', 'returns', 10_010),
    special('QUAR-1', 'HOLD', 'quarantine', 10_020),
    special('DMG-1', 'HOLD', 'damaged', 10_030),
  );
  return locations;
}

interface Catalogue {
  products: Product[];
  stock: StockRow[];
  bySku: Map<string, Product>;
}

function buildCatalogue(today: string): Catalogue {
  const products: Product[] = [];
  const stock: StockRow[] = [];
  const bySku = new Map<string, Product>();
  let n = 0;
  for (const owner of DEMO_OWNERS) {
    const zone = OWNER_ZONE[owner.id] ?? 'A';
    const gtin = GTIN_PREFIX[owner.id] ?? { prefix: '5060123', kind: 'ean13' };
    (CATALOGUE[owner.id] ?? []).forEach((spec, i) => {
      n++;
      const id = `prd-${String(n).padStart(4, '0')}`;
      const bay = i + 1;
      const itemRef = String(100 + i * 7).padStart(5, '0');
      const unit = withCheckDigit(`${gtin.prefix}${itemRef}`);
      const codes = [unit, ...(spec.caseGtin ? [caseGtin14(unit)] : []), spec.sku];
      const faceId = locationId(bayCode(zone, bay, 1));
      const storageId = locationId(bayCode(zone, bay, 2));
      const product: Product = {
        id,
        ownerId: owner.id,
        sku: spec.sku,
        name: spec.name,
        barcodes: codes.map(productBarcodeKey),
        lotTracked: spec.lots ?? false,
        expiryTracked: spec.lots ?? false,
        serialTracked: spec.serials ?? false,
        zone,
        pickFaceLocationId: spec.noFace ? null : faceId,
      };
      products.push(product);
      bySku.set(spec.sku, product);

      // Lots read like roast or production batches; the pick face holds the older lot.
      const faceLot = spec.lots ? `${spec.sku.split('-')[1]}${String(2400 + n * 3)}A` : null;
      const storageLot = spec.lots ? `${spec.sku.split('-')[1]}${String(2400 + n * 3 + 1)}B` : null;
      const faceExpiry = spec.lots ? addDays(today, spec.faceExpiryDays ?? 120) : null;
      const storageExpiry = spec.lots ? addDays(today, (spec.faceExpiryDays ?? 120) + 90) : null;
      const row = (loc: string, lot: string | null, expiry: string | null, qty: number): StockRow => ({
        id: stockId(loc, id, lot, null),
        ownerId: owner.id,
        locationId: loc,
        productId: id,
        lot,
        expiry,
        lpn: null,
        qty,
      });
      if (spec.face > 0 && !spec.noFace) stock.push(row(faceId, faceLot, faceExpiry, spec.face));
      if (spec.storage > 0) stock.push(row(storageId, storageLot, storageExpiry, spec.storage));
    });
  }
  return { products, stock, bySku };
}

interface OrderSpec {
  customer: string;
  lines: [sku: string, qty: number][];
}

/** Open orders per owner; one line (40 filters for a café) is bigger than its pick face and splits. */
const OPEN_ORDERS: Record<string, OrderSpec[]> = {
  'own-northwind': [
    { customer: 'Amelia Hart', lines: [['NWC-ESP-250', 2], ['NWC-FLT-100', 1]] },
    { customer: 'Brewed Awakening Café', lines: [['NWC-FLT-100', 40]] },
    { customer: 'Jonas Becker', lines: [['NWC-HSE-250', 3], ['NWC-MUG-CER', 2]] },
    { customer: 'Priya Raman', lines: [['NWC-ETH-250', 1]] },
    { customer: 'Mateo García', lines: [['NWC-GRD-HND', 1], ['NWC-ESP-1K', 1]] },
  ],
  'own-harbor': [
    { customer: "Grace O'Connell", lines: [['HBO-TNT-2P', 1], ['HBO-PAD-INF', 1]] },
    { customer: 'Liam Nguyen', lines: [['HBO-HLP-350', 2]] },
    { customer: 'Sofia Rossi', lines: [['HBO-JKT-WS', 1], ['HBO-BTL-750', 1], ['HBO-SOK-MW', 2]] },
    { customer: 'Noah Williams', lines: [['HBO-STV-CMP', 1], ['HBO-FUL-230', 2]] },
  ],
  'own-pip': [
    { customer: 'Hannah Kim', lines: [['PIP-FRM-S1-800', 2], ['PIP-WIP-80', 3]] },
    { customer: 'Ethan Brooks', lines: [['PIP-SWD-3PK', 1], ['PIP-ONE-0-3', 2], ['PIP-HAT-NB', 1]] },
    { customer: 'Chloe Dubois', lines: [['PIP-BTL-260', 2]] },
  ],
};

/** A Shopify-style 64-bit order id, kept as a string. */
function orderId(n: number): string {
  return `5234567890${String(123_450_000 + n * 7_919).padStart(9, '0')}`;
}

/** The sign-in users of every seed; `harbor` sees Harbor Outdoor only. */
export function seedUsers(): SeedUser[] {
  return [
    { username: 'operator', displayName: 'Olivia Operator', pin: '1111', role: 'operator', ownerIds: null },
    { username: 'supervisor', displayName: 'Sam Supervisor', pin: '2222', role: 'supervisor', ownerIds: null },
    { username: 'admin', displayName: 'Ada Admin', pin: '9999', role: 'admin', ownerIds: null },
    { username: 'harbor', displayName: 'Hugo Harbor', pin: '3333', role: 'operator', ownerIds: ['own-harbor'] },
  ];
}

export function demoWarehouse(today: string): WarehouseData {
  const locations = buildLocations();
  const { products, stock, bySku } = buildCatalogue(today);
  const owner = (code: string): Owner => {
    const found = DEMO_OWNERS.find((o) => o.code === code);
    if (!found) throw new Error(`Demo data names an unknown owner ${code}`);
    return found;
  };
  const sku = (code: string): Product => {
    const product = bySku.get(code);
    if (!product) throw new Error(`Demo data names an unknown SKU ${code}`);
    return product;
  };

  // Goods received yesterday, still at the dock for putaway: loose units and one pallet (LPN,
  // labelled with an SSCC) of Harbor stock.
  const sscc = withCheckDigit('00841234000000101');
  const lpns: Lpn[] = [{ id: sscc, ownerId: 'own-harbor', locationId: locationId('DOCK-2'), status: 'closed' }];
  const atDock = (code: string, loc: string, qty: number, lpn: string | null): StockRow => {
    const p = sku(code);
    return { id: stockId(loc, p.id, null, lpn), ownerId: p.ownerId, locationId: loc, productId: p.id, lot: null, expiry: null, lpn, qty };
  };
  stock.push(
    atDock('NWC-TIN-500', locationId('DOCK-1'), 24, null),
    atDock('HBO-BTL-750', locationId('DOCK-2'), 48, sscc),
    atDock('HBO-CRB-LCK', locationId('DOCK-2'), 100, sscc),
  );

  // Three expected receipts, one per owner; Northwind's and Pip's carry lot-tracked goods.
  const receiptSpecs: { owner: string; number: string; kind: Receipt['kind']; supplier: string; dock: string; lines: [string, number][] }[] = [
    { owner: 'NWC', number: 'ASN-10412', kind: 'asn', supplier: 'Northwind Roastery, Portland', dock: 'DOCK-1', lines: [['NWC-ESP-250', 120], ['NWC-DEC-250', 48], ['NWC-GFT-TRIO', 40]] },
    { owner: 'HBO', number: 'PO-7781', kind: 'po', supplier: 'Cascade Gear Manufacturing', dock: 'DOCK-2', lines: [['HBO-TNT-2P', 24], ['HBO-HLP-350', 60], ['HBO-CHR-FLD', 30]] },
    { owner: 'PIP', number: 'ASN-2207', kind: 'asn', supplier: 'Little Sprout Nutrition', dock: 'DOCK-1', lines: [['PIP-FRM-S2-800', 48], ['PIP-PUR-APL', 96]] },
  ];
  const receipts: Receipt[] = [];
  const receiptLines: ReceiptLine[] = [];
  receiptSpecs.forEach((spec, i) => {
    const o = owner(spec.owner);
    const id = `rcp-${String(i + 1).padStart(4, '0')}`;
    receipts.push({
      id,
      ownerId: o.id,
      number: spec.number,
      kind: spec.kind,
      supplier: spec.supplier,
      status: 'open',
      dockLocationId: locationId(spec.dock),
      expectedAt: today,
    });
    for (const [code, qty] of spec.lines) {
      receiptLines.push({
        id: `rcl-${String(receiptLines.length + 1).padStart(4, '0')}`,
        receiptId: id,
        ownerId: o.id,
        productId: sku(code).id,
        expectedQty: qty,
        receivedQty: 0,
        damagedQty: 0,
        unexpected: false,
      });
    }
  });

  // Open orders that came in yesterday afternoon and evening, oldest first.
  const orders: Order[] = [];
  const orderLines: OrderLine[] = [];
  let orderCount = 0;
  let shopifyNumber = 1041;
  let csvNumber = 50021;
  for (const o of DEMO_OWNERS) {
    for (const spec of OPEN_ORDERS[o.id] ?? []) {
      orderCount++;
      const id = orderId(orderCount);
      const fromShopify = o.id !== 'own-pip';
      orders.push({
        id,
        ownerId: o.id,
        number: fromShopify ? `#${shopifyNumber++}` : `PIP-${csvNumber++}`,
        source: fromShopify ? 'shopify' : 'csv',
        status: 'open',
        customerName: spec.customer,
        createdAt: `${addDays(today, -1)}T${String(17 + Math.floor(orderCount / 4)).padStart(2, '0')}:${String((orderCount * 13) % 60).padStart(2, '0')}:00Z`,
      });
      spec.lines.forEach(([code, qty], i) => {
        orderLines.push({ id: `${id}-${i + 1}`, orderId: id, ownerId: o.id, productId: sku(code).id, qty, pickedQty: 0, packedQty: 0 });
      });
    }
  }

  const allocation = allocateOrders({
    orders,
    orderLines,
    stock,
    locations,
    products,
    stagingLocationId: locationId('PACK-1'),
    today,
    createdAt: `${today}T07:30:00Z`,
    firstListNumber: FIRST_PICK_LIST,
  });
  if (allocation.shortfalls.length > 0) {
    // The demo promises a clean start: every open order fully allocated.
    throw new Error(`Demo orders do not fit the demo stock: ${JSON.stringify(allocation.shortfalls)}`);
  }
  const allocated = new Map(allocation.orders.map((o) => [o.id, o]));

  // A Harbor order shipped last week, and the customer's return of two of its items.
  const shippedId = orderId(0);
  const shippedLines: [string, number][] = [['HBO-JKT-M', 1], ['HBO-BTL-750', 2], ['HBO-HLP-350', 1]];
  const shippedOrder: Order = {
    id: shippedId,
    ownerId: 'own-harbor',
    number: '#1038',
    source: 'shopify',
    status: 'shipped',
    customerName: 'Isabella Moreno',
    createdAt: `${addDays(today, -8)}T14:22:00Z`,
  };
  shippedLines.forEach(([code, qty], i) => {
    orderLines.push({ id: `${shippedId}-${i + 1}`, orderId: shippedId, ownerId: 'own-harbor', productId: sku(code).id, qty, pickedQty: qty, packedQty: qty });
  });
  const shipments: Shipment[] = [
    {
      id: 'shp-0001',
      ownerId: 'own-harbor',
      orderId: shippedId,
      carrier: 'UPS',
      trackingNumber: upsTracking('84E7W3035123891'),
      shippedAt: `${addDays(today, -7)}T16:05:00Z`,
    },
  ];
  const returns: Return[] = [
    { id: 'ret-0001', ownerId: 'own-harbor', rma: 'RMA-HBO-0042', orderId: shippedId, status: 'open', returnsLocationId: locationId('RET-1') },
  ];
  const returnLines: ReturnLine[] = (
    [
      ['HBO-JKT-M', 1],
      ['HBO-BTL-750', 1],
    ] as const
  ).map(([code, qty], i) => ({
    id: `rtl-${String(i + 1).padStart(4, '0')}`,
    returnId: 'ret-0001',
    ownerId: 'own-harbor',
    productId: sku(code).id,
    authorisedQty: qty,
    receivedQty: 0,
    restockedQty: 0,
    damagedQty: 0,
    quarantinedQty: 0,
  }));


  return {
    users: seedUsers(),
    rows: {
      owners: DEMO_OWNERS.map((o) => ({ ...o })),
      products,
      cartonTypes: demoCartonTypes(),
      locations,
      stock,
      lpns,
      receipts,
      receiptLines,
      orders: [shippedOrder, ...orders.map((o) => allocated.get(o.id) ?? o)],
      orderLines,
      pickLists: allocation.pickLists,
      pickLines: allocation.pickLines,
      shipments,
      returns,
      returnLines,
    },
  };
}
