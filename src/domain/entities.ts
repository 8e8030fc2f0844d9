// The warehouse's entities as they cross the wire and sit in IndexedDB: one zod schema per
// synced table. Ids are strings everywhere (order ids from Shopify are 64-bit: never numbers).
import { z } from 'zod';

const Id = z.string().min(1).max(100);
/** A calendar date, `YYYY-MM-DD`. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date as YYYY-MM-DD');
const Qty = z.number().int().nonnegative();
/** An id made of other ids (`cartonId`, `cartonLineId`): as long as its parts allow. */
const CompositeId = z.string().min(1).max(600);

export const Role = z.enum(['operator', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

export const Owner = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  /** Units a receipt line may exceed its expected quantity by, as a percentage. */
  overReceiptTolerancePct: z.number().nonnegative(),
  /** Whether an item that is not on a receipt may be received as unexpected. */
  allowUnexpectedItems: z.boolean(),
  /**
   * Whether a packer may type how many units a scan puts in the carton (goods sold by the dozen),
   * instead of scanning each one.
   */
  packQuantityTyped: z.boolean().default(false),
});
export type Owner = z.infer<typeof Owner>;

export const Product = z.object({
  id: Id,
  ownerId: Id,
  sku: z.string(),
  name: z.string(),
  /** Barcode keys (see gtin.ts `productBarcodeKey`): GTIN-14 forms and upper-cased SKU codes. */
  barcodes: z.array(z.string()).min(1),
  lotTracked: z.boolean(),
  expiryTracked: z.boolean(),
  /** Each unit carries its own serial number (GS1 AI 21), which packing records once. */
  serialTracked: z.boolean().default(false),
  zone: z.string().nullable(),
  pickFaceLocationId: Id.nullable(),
});
export type Product = z.infer<typeof Product>;

export const LocationType = z.enum(['dock', 'storage', 'pick_face', 'pack', 'returns', 'quarantine', 'damaged']);
export type LocationType = z.infer<typeof LocationType>;

export const Location = z.object({
  id: Id,
  /** The label printed on the bin, e.g. `A-01-03`; what a bin scan reads. */
  code: z.string(),
  zone: z.string(),
  type: LocationType,
  aisle: z.string().nullable(),
  level: z.string().nullable(),
  /** Position on the pick path: lower is visited first. */
  walkSeq: z.number().int(),
  /** Units the location holds at most; null for no limit. */
  capacity: z.number().int().positive().nullable(),
});
export type Location = z.infer<typeof Location>;

export const StockRow = z.object({
  /** `stockId(locationId, productId, lot, lpn)`: the same key on every device and the server. */
  id: Id,
  ownerId: Id,
  locationId: Id,
  productId: Id,
  lot: z.string().nullable(),
  expiry: IsoDate.nullable(),
  lpn: z.string().nullable(),
  qty: Qty,
});
export type StockRow = z.infer<typeof StockRow>;

export function stockId(locationId: string, productId: string, lot: string | null, lpn: string | null): string {
  return `${locationId}|${productId}|${lot ?? ''}|${lpn ?? ''}`;
}

export const Lpn = z.object({
  id: Id,
  ownerId: Id,
  locationId: Id,
  status: z.enum(['open', 'closed']),
});
export type Lpn = z.infer<typeof Lpn>;

export const Receipt = z.object({
  id: Id,
  ownerId: Id,
  number: z.string(),
  kind: z.enum(['asn', 'po']),
  supplier: z.string(),
  status: z.enum(['open', 'closed']),
  dockLocationId: Id,
  expectedAt: IsoDate,
});
export type Receipt = z.infer<typeof Receipt>;

export const ReceiptLine = z.object({
  id: Id,
  receiptId: Id,
  ownerId: Id,
  productId: Id,
  expectedQty: Qty,
  receivedQty: Qty,
  damagedQty: Qty,
  /** True for a line added on the floor for an item the receipt did not list. */
  unexpected: z.boolean(),
});
export type ReceiptLine = z.infer<typeof ReceiptLine>;

/**
 * `open`, `on_hold` and `backordered` orders stay on the server (devices see an order once it is
 * allocated); `on_hold` waits for a person, `backordered` for stock.
 */
export const OrderStatus = z.enum(['open', 'on_hold', 'backordered', 'allocated', 'picking', 'picked', 'packed', 'shipped', 'cancelled']);
export type OrderStatus = z.infer<typeof OrderStatus>;
export const Order = z.object({
  id: Id,
  ownerId: Id,
  number: z.string(),
  source: z.enum(['shopify', 'csv', 'api', 'demo']),
  status: OrderStatus,
  customerName: z.string(),
  createdAt: z.string(),
});
export type Order = z.infer<typeof Order>;

export const OrderLine = z.object({
  id: Id,
  orderId: Id,
  ownerId: Id,
  productId: Id,
  qty: Qty,
  pickedQty: Qty,
  packedQty: Qty,
});
export type OrderLine = z.infer<typeof OrderLine>;

export const PickList = z.object({
  id: Id,
  ownerId: Id,
  number: z.string(),
  /**
   * `cancelled` stays on the server for the record and `held` waits for a supervisor's release:
   * the feed deletes either from every device.
   */
  status: z.enum(['open', 'in_progress', 'done', 'cancelled', 'held']),
  /** Where picked units go (a tote or pack station) until the order ships. */
  stagingLocationId: Id,
  createdAt: z.string(),
  /** The picker who opened it last (`claim-pick-list`): another device is told before taking it over. */
  claimedBy: z.string().nullable().optional(),
  claimedByName: z.string().nullable().optional(),
  claimedAt: z.string().nullable().optional(),
});
export type PickList = z.infer<typeof PickList>;

export const ShortReason = z.enum(['out_of_stock', 'damaged', 'wrong_bin']);
export type ShortReason = z.infer<typeof ShortReason>;

export const PickLine = z.object({
  id: Id,
  pickListId: Id,
  ownerId: Id,
  orderId: Id,
  orderLineId: Id,
  productId: Id,
  locationId: Id,
  /** The allocated lot, or null where the product is not lot-tracked. */
  lot: z.string().nullable(),
  qty: Qty,
  pickedQty: Qty,
  shortQty: Qty,
  shortReason: ShortReason.nullable(),
  /** `cancelled`: its order was cancelled before these units were picked; devices never see it. */
  status: z.enum(['open', 'done', 'cancelled']),
  /** The bin's walk sequence when the list was built: lines are picked in this order. */
  walkSeq: z.number().int(),
});
export type PickLine = z.infer<typeof PickLine>;

export const Shipment = z.object({
  id: Id,
  ownerId: Id,
  orderId: Id,
  carrier: z.string(),
  trackingNumber: z.string(),
  shippedAt: z.string(),
});
export type Shipment = z.infer<typeof Shipment>;

/** A box an owner ships in, with its inner dimensions: the packer scans or chooses one per carton. */
export const CartonType = z.object({
  id: Id,
  ownerId: Id,
  /** What is printed on the shelf of flat boxes and scanned: `BOX-S`. */
  code: z.string(),
  name: z.string(),
  lengthMm: z.number().int().positive(),
  widthMm: z.number().int().positive(),
  heightMm: z.number().int().positive(),
  /** The heaviest load the box is rated for; null when the owner set none. */
  maxWeightGrams: z.number().int().positive().nullable(),
});
export type CartonType = z.infer<typeof CartonType>;

/**
 * One carton of an order at the pack station, named as the station names it (`1`, `2`, or a sort
 * wall's `slot-3`). Closed with its box and weight; a carton closed short carries the supervisor's
 * override.
 */
export const Carton = z.object({
  id: CompositeId,
  ownerId: Id,
  orderId: Id,
  label: z.string(),
  status: z.enum(['open', 'closed']),
  cartonTypeId: Id.nullable(),
  weightGrams: z.number().int().positive().nullable(),
  closedAt: z.string().nullable(),
  /** Why the order left short, when it was closed short with a supervisor's override. */
  shortReason: z.string().nullable(),
});
export type Carton = z.infer<typeof Carton>;

/** Units of one product (one lot, one serial) in a carton. */
export const CartonLine = z.object({
  id: CompositeId,
  ownerId: Id,
  orderId: Id,
  cartonId: CompositeId,
  productId: Id,
  lot: z.string().nullable(),
  serial: z.string().nullable(),
  qty: Qty,
});
export type CartonLine = z.infer<typeof CartonLine>;

export function cartonId(orderId: string, label: string): string {
  return `${orderId}|carton|${label}`;
}

export function cartonLineId(cartonKey: string, productId: string, lot: string | null, serial: string | null): string {
  return `${cartonKey}|${productId}|${lot ?? ''}|${serial ?? ''}`;
}

export const Return = z.object({
  id: Id,
  ownerId: Id,
  rma: z.string(),
  orderId: Id.nullable(),
  status: z.enum(['open', 'closed']),
  returnsLocationId: Id,
});
export type Return = z.infer<typeof Return>;

export const Disposition = z.enum(['restock', 'damaged', 'quarantine']);
export type Disposition = z.infer<typeof Disposition>;

export const ReturnLine = z.object({
  id: Id,
  returnId: Id,
  ownerId: Id,
  productId: Id,
  authorisedQty: Qty,
  receivedQty: Qty,
  restockedQty: Qty,
  damagedQty: Qty,
  quarantinedQty: Qty,
});
export type ReturnLine = z.infer<typeof ReturnLine>;

/** Every synced table and the schema of its rows. Pull pages carry rows of these tables. */
export const TABLES = {
  owners: Owner,
  products: Product,
  locations: Location,
  stock: StockRow,
  lpns: Lpn,
  receipts: Receipt,
  receiptLines: ReceiptLine,
  orders: Order,
  orderLines: OrderLine,
  pickLists: PickList,
  pickLines: PickLine,
  shipments: Shipment,
  cartonTypes: CartonType,
  cartons: Carton,
  cartonLines: CartonLine,
  returns: Return,
  returnLines: ReturnLine,
} as const;

export type TableName = keyof typeof TABLES;
export const TableName = z.enum(Object.keys(TABLES) as [TableName, ...TableName[]]);
export type RowOf<T extends TableName> = z.infer<(typeof TABLES)[T]>;
export type AnyRow = RowOf<TableName>;
