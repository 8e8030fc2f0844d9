// An order as it arrives, from any channel (a Shopify webhook, a CSV file, the REST API), before
// it is matched to products: the one shape intake accepts, shared by the server's routes and
// their OpenAPI description. Ids from stores are 64-bit integers and travel as strings.
import { z } from 'zod';
import { IsoDate } from './entities';
import { text } from './text';

/** Most lines one order may carry. */
export const MAX_ORDER_LINES = 500;

/** An integer id as a decimal string: a 64-bit store id never passes through a JS number. */
export const ExternalId = z.string().regex(/^[0-9]{1,20}$/, 'Expected an integer id as a string of digits');

/** Where the parcel goes. `country` is the ISO 3166-1 alpha-2 code. */
export const ShipTo = z.object({
  name: text().trim().min(1).max(200),
  company: text().trim().max(200).nullable().default(null),
  address1: text().trim().min(1).max(200),
  address2: text().trim().max(200).nullable().default(null),
  city: text().trim().min(1).max(100),
  province: text().trim().max(100).nullable().default(null),
  postalCode: text().trim().max(20).nullable().default(null),
  country: text().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Expected a two-letter country code (ISO 3166-1)'),
  phone: text().trim().max(40).nullable().default(null),
});
export type ShipTo = z.infer<typeof ShipTo>;

export const IntakeLine = z.object({
  /** The store's line id (Shopify `line_items[].id`), when it has one. */
  externalId: ExternalId.nullable().default(null),
  /** The merchant's SKU: how a line finds its product. */
  sku: text().trim().max(100).nullable().default(null),
  /** A barcode the store knows for the variant: tried when the SKU finds nothing. */
  barcode: text().trim().max(100).nullable().default(null),
  /** What the store calls the item, for messages when it matches no product. */
  name: text().trim().max(300).nullable().default(null),
  qty: z.number().int().positive().max(100_000),
  /** False for gift cards, services, digital goods: nothing to pick, so a person must look. */
  requiresShipping: z.boolean().default(true),
});
export type IntakeLine = z.infer<typeof IntakeLine>;

/**
 * An ISO 8601 date-time with its offset, as stores send them (`2026-12-05T09:14:03-05:00`), kept
 * in UTC (`2026-12-05T14:14:03.000Z`) so that times from every channel sort as they happened.
 */
export const IsoDateTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

export const OrderIntake = z.object({
  /** The order number people read and search by (`#1041`, `PIP-50021`); unique per owner. */
  number: text().trim().min(1).max(64),
  /** The store's own id for the order (Shopify `id`), when it has one. */
  externalId: ExternalId.nullable().default(null),
  orderedAt: IsoDateTime,
  /** The store's last change to the order: of two versions, the later one wins. */
  updatedAt: IsoDateTime.nullable().default(null),
  /** The date the carrier must have it by; orders due first are allocated first. */
  shipBy: IsoDate.nullable().default(null),
  shippingMethod: text().trim().max(100).nullable().default(null),
  customerName: text().trim().max(200).default(''),
  shipTo: ShipTo.nullable(),
  lines: z.array(IntakeLine).min(1).max(MAX_ORDER_LINES),
});
export type OrderIntake = z.infer<typeof OrderIntake>;
export type OrderIntakeInput = z.input<typeof OrderIntake>;

/** Why an order waits for a person instead of being allocated. */
export const HoldReason = z.enum([
  /** A line's SKU (and barcode) matches none of the owner's products. */
  'UNKNOWN_SKU',
  /** A line needs no shipping (a gift card, a service): the store must fulfil it, not the floor. */
  'NOT_SHIPPABLE',
  /** No ship-to address: nothing could be labelled. */
  'MISSING_ADDRESS',
  /** A supervisor held it. */
  'HELD_BY_SUPERVISOR',
  /**
   * Its last carton was closed short with a supervisor's override code: its units sit in closed
   * cartons. Released, it ships what is packed; cancelled, its units go back to stock.
   */
  'SHORT_PACKED',
]);
export type HoldReason = z.infer<typeof HoldReason>;

/** Shipping methods that jump the queue among orders due the same day. */
const EXPRESS = /\b(express|overnight|next[\s-]?day|priority|expedited|same[\s-]?day|1[\s-]?day|2[\s-]?day)\b/i;

export function isExpress(shippingMethod: string | null): boolean {
  return shippingMethod !== null && EXPRESS.test(shippingMethod);
}

/** An order as the REST API shows it: the intake record, why it waits, and where it is on the floor. */
export const OrderView = z.object({
  id: z.string(),
  ownerId: z.string(),
  number: z.string(),
  source: z.string(),
  externalId: z.string().nullable(),
  status: z.string(),
  customerName: z.string(),
  orderedAt: z.string(),
  shipBy: z.string().nullable(),
  shippingMethod: z.string().nullable(),
  express: z.boolean(),
  shipTo: ShipTo.nullable(),
  holdReason: HoldReason.nullable(),
  /** The lines that hold the order, by their position in it. */
  holdDetails: z.unknown(),
  /** What a backordered order is missing, per line. */
  shortfall: z.unknown(),
  receivedAt: z.string(),
  cancelledAt: z.string().nullable(),
  lines: z.array(
    z.object({
      lineNo: z.number().int(),
      sku: z.string().nullable(),
      name: z.string().nullable(),
      externalId: z.string().nullable(),
      productId: z.string().nullable(),
      qty: z.number().int(),
      pickedQty: z.number().int(),
      packedQty: z.number().int(),
      requiresShipping: z.boolean(),
    }),
  ),
  pickLists: z.array(z.object({ id: z.string(), number: z.string(), status: z.string(), waveId: z.string().nullable() })),
  exceptions: z.array(z.object({ id: z.string(), kind: z.string(), details: z.unknown(), createdAt: z.string(), resolvedAt: z.string().nullable() })),
});
export type OrderView = z.infer<typeof OrderView>;
