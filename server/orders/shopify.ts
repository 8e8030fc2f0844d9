// A Shopify `orders/create`, `orders/updated` or `orders/cancelled` webhook body turned into the
// normalized OrderIntake, losslessly: Shopify's 64-bit ids never pass through a JS number.
import { isInteger, isLosslessNumber, isSafeNumber, parse, type LosslessNumber } from 'lossless-json';
import { z } from 'zod';
import { OrderIntake, type IntakeLine, type OrderIntakeInput, type ShipTo } from '../../src/domain/order-intake';

/** The largest id Shopify issues: ids are positive signed 64-bit integers. */
const MAX_SHOPIFY_ID = 9223372036854775807n;

/** Keys whose numbers are ids (`id`, `variant_id`, `app_id`, …): kept as exact decimal strings. */
const ID_KEY = /(^|_)id$/;

export type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Parses a webhook body as JSON without losing digits. A number under an id key (`id`, `*_id`)
 * becomes its decimal string, whatever its size; any other number a JS number can hold exactly
 * becomes one; any other (an integer past 2^53, `1e500`) stays its exact text as a string, so
 * no value is silently rounded and nothing overflows to Infinity. Accepts UTF-8 with or without
 * a byte order mark; never throws.
 */
export function parseShopifyBody(raw: Buffer | string): ParsedBody {
  let text: string;
  if (typeof raw === 'string') {
    text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  } else {
    try {
      // `fatal`: a body that is not UTF-8 is refused, not decoded into U+FFFD; the BOM is dropped.
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      return { ok: false, message: 'The body is not valid UTF-8' };
    }
  }
  try {
    return { ok: true, value: parse(text, reviveNumber) };
  } catch (error) {
    // A syntax error, a duplicate key with two values, or nesting deep enough to exhaust the stack.
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `The body is not valid JSON: ${reason}` };
  }
}

function reviveNumber(key: string, value: unknown): unknown {
  if (!isLosslessNumber(value)) return value;
  const digits = (value as LosslessNumber).value;
  if (ID_KEY.test(key) && isInteger(digits)) return BigInt(digits).toString();
  return isSafeNumber(digits) ? Number(digits) : digits;
}

/**
 * A Shopify id as a canonical decimal string. A string of digits (what `parseShopifyBody`
 * gives) or a safe JS integer is accepted; an unsafe JS number is refused, since it has already
 * lost digits (the body went through `JSON.parse`).
 */
export const ShopifyId = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      ctx.addIssue({ code: 'custom', message: 'A number past 2^53 has lost digits: parse the body losslessly' });
      return z.NEVER;
    }
    const text = String(value);
    if (!/^[0-9]{1,19}$/.test(text) || BigInt(text) === 0n || BigInt(text) > MAX_SHOPIFY_ID) {
      ctx.addIssue({ code: 'custom', message: 'Expected a Shopify id (a positive 64-bit integer)' });
      return z.NEVER;
    }
    return BigInt(text).toString();
  });

const optionalText = z.string().nullish();

/** An amount in the shop's and in the buyer's currency; amounts are decimal strings ("199.00"). */
const MoneySet = z.object({
  shop_money: z.object({ amount: z.string(), currency_code: z.string() }),
  presentment_money: z.object({ amount: z.string(), currency_code: z.string() }).nullish(),
});

const TaxLine = z.object({ title: optionalText, price: optionalText, rate: z.number().nullish(), price_set: MoneySet.nullish() });

const ShopifyAddress = z.object({
  first_name: optionalText,
  last_name: optionalText,
  name: optionalText,
  company: optionalText,
  address1: optionalText,
  address2: optionalText,
  city: optionalText,
  province: optionalText,
  province_code: optionalText,
  zip: optionalText,
  country: optionalText,
  country_code: optionalText,
  phone: optionalText,
});

const ShopifyLineItem = z.object({
  id: ShopifyId,
  variant_id: ShopifyId.nullish(),
  product_id: ShopifyId.nullish(),
  sku: optionalText,
  title: optionalText,
  name: optionalText,
  variant_title: optionalText,
  quantity: z.number().int().nonnegative(),
  /** What is left after order edits and refunds; absent before API version 2023-01. */
  current_quantity: z.number().int().nonnegative().nullish(),
  fulfillable_quantity: z.number().int().nullish(),
  requires_shipping: z.boolean().default(true),
  gift_card: z.boolean().default(false),
  fulfillment_status: optionalText,
  properties: z.array(z.object({ name: z.string(), value: z.unknown() })).nullish(),
  price: optionalText,
  price_set: MoneySet.nullish(),
  tax_lines: z.array(TaxLine).nullish(),
  /** Not in Shopify's REST line item; some apps add the variant's barcode. */
  barcode: optionalText,
});

/**
 * The parts of a Shopify order (REST shape, as webhooks send it) that intake reads. Every other
 * field is ignored, so a field Shopify adds without notice never refuses an order.
 */
export const ShopifyOrder = z.object({
  id: ShopifyId,
  /** The order number people read: "#1001", with the shop's prefix and suffix. */
  name: z.string(),
  order_number: z.number().int().nullish(),
  created_at: z.string(),
  updated_at: optionalText,
  cancelled_at: optionalText,
  cancel_reason: optionalText,
  closed_at: optionalText,
  fulfillment_status: optionalText,
  financial_status: optionalText,
  email: optionalText,
  customer: z.object({ id: ShopifyId.nullish(), first_name: optionalText, last_name: optionalText }).nullish(),
  /** Absent or null for digital goods and local pickup. */
  shipping_address: ShopifyAddress.nullish(),
  shipping_lines: z
    .array(z.object({ title: optionalText, code: optionalText, source: optionalText, is_removed: z.boolean().nullish() }))
    .nullish(),
  line_items: z.array(ShopifyLineItem),
  /** Cart attributes; only a ship-by date is read from them, so a malformed list is dropped. */
  note_attributes: z.array(z.object({ name: z.string(), value: z.unknown() })).nullish().catch(null),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

export type ShopifyIntake =
  | {
      ok: true;
      intake: OrderIntake;
      /** Shopify's `cancelled_at` is set: the order must not ship. */
      cancelled: boolean;
      /** Ids of line items edited down to nothing, left out of `intake.lines`. */
      removedLineIds: string[];
    }
  | { ok: false; message: string };

/**
 * The normalized intake of a Shopify order (`value` from `parseShopifyBody`). A line's quantity
 * is `current_quantity` when Shopify sends it (it follows edits and refunds), else `quantity`;
 * lines left at zero are dropped, except on a cancelled order with nothing left, whose lines
 * keep what was ordered so the cancellation still names them. A refusal names the field.
 */
export function shopifyToIntake(value: unknown): ShopifyIntake {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'The body is not a Shopify order: expected a JSON object' };
  }
  const order = ShopifyOrder.safeParse(value);
  if (!order.success) return { ok: false, message: `Not a Shopify order: ${describeIssues(order.error, value)}` };
  const shopify = order.data;
  const cancelled = shopify.cancelled_at != null;
  if (shopify.line_items.length === 0) return { ok: false, message: 'line_items: the order has no lines' };

  const remaining = shopify.line_items.map((item) => ({ item, qty: item.current_quantity ?? item.quantity }));
  const kept = remaining.filter((line) => line.qty > 0);
  let lines = kept;
  let removedLineIds = remaining.filter((line) => line.qty === 0).map((line) => line.item.id);
  if (kept.length === 0 && cancelled) {
    // Cancelling with a restock sets every current_quantity to 0.
    lines = shopify.line_items.map((item) => ({ item, qty: item.quantity })).filter((line) => line.qty > 0);
    removedLineIds = [];
  }
  if (lines.length === 0) {
    return { ok: false, message: 'line_items: no line has a quantity left to ship' };
  }

  const address = shopify.shipping_address ?? null;
  const customerName = personName(address) ?? personName(shopify.customer ?? null) ?? '';
  const shippingLine = shopify.shipping_lines?.find((line) => line.is_removed !== true);
  const input: OrderIntakeInput = {
    number: shopify.name,
    externalId: shopify.id,
    orderedAt: shopify.created_at,
    updatedAt: shopify.updated_at ?? null,
    shipBy: shipByOf(shopify.note_attributes ?? []),
    shippingMethod: blankToNull(shippingLine?.title) ?? blankToNull(shippingLine?.code),
    customerName,
    shipTo: shipToOf(address, customerName),
    lines: lines.map(({ item, qty }): z.input<typeof IntakeLine> => ({
      externalId: item.id,
      sku: blankToNull(item.sku),
      barcode: blankToNull(item.barcode),
      name: blankToNull(item.name) ?? blankToNull(item.title),
      qty,
      requiresShipping: item.requires_shipping && !item.gift_card,
    })),
  };
  const intake = OrderIntake.safeParse(input);
  if (!intake.success) return { ok: false, message: `The order does not fit intake: ${describeIssues(intake.error, input)}` };
  return { ok: true, intake: intake.data, cancelled, removedLineIds };
}

/**
 * Shopify has no ship-by date. A merchant who needs one adds a cart attribute, which arrives in
 * `note_attributes`: one named like "ship_by", "Ship by", "Ship-By" or "ship by date" holding a
 * real calendar date as YYYY-MM-DD is taken; anything else is ignored rather than refusing the
 * order over an optional note.
 */
function shipByOf(attributes: { name: string; value: unknown }[]): string | null {
  for (const { name, value } of attributes) {
    const key = name.toLowerCase().replace(/[^a-z]/g, '');
    if (key !== 'shipby' && key !== 'shipbydate') continue;
    const date = typeof value === 'string' ? value.trim() : '';
    if (isCalendarDate(date)) return date;
  }
  return null;
}

/** YYYY-MM-DD naming a day that exists (not 2026-02-30, not month 13). */
function isCalendarDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, day));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
}

type Address = z.infer<typeof ShopifyAddress>;

/**
 * Where the parcel goes, or null when there is nowhere to send it: no shipping address (digital
 * goods, local pickup) or one without a street, a city or a country code. Intake then holds the
 * order for MISSING_ADDRESS instead of refusing the webhook, so a person can fix it.
 */
function shipToOf(address: Address | null, customerName: string): z.input<typeof ShipTo> | null {
  if (!address) return null;
  const name = personName(address) ?? blankToNull(address.company) ?? blankToNull(customerName);
  const address1 = blankToNull(address.address1);
  const city = blankToNull(address.city);
  const country = blankToNull(address.country_code);
  if (!name || !address1 || !city || !country) return null;
  return {
    name,
    company: blankToNull(address.company),
    address1,
    address2: blankToNull(address.address2),
    city,
    province: blankToNull(address.province) ?? blankToNull(address.province_code),
    postalCode: blankToNull(address.zip),
    country,
    phone: blankToNull(address.phone),
  };
}

function personName(person: { name?: string | null; first_name?: string | null; last_name?: string | null } | null): string | null {
  if (!person) return null;
  return blankToNull(person.name) ?? blankToNull([person.first_name, person.last_name].map((part) => part?.trim()).filter(Boolean).join(' '));
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** The first few issues as `path: message`, saying "is missing" for an absent field. */
function describeIssues(error: z.ZodError, input: unknown): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.map(String).join('/') || '(order)';
      return valueAt(input, issue.path) === undefined ? `${path} is missing` : `${path}: ${issue.message}`;
    })
    .join('; ');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
