// Shopify webhooks for tests: a realistic order body as JSON text, its ids written as raw 64-bit
// integer literals (a JS number cannot hold them), and the HMAC header Shopify would send with it.
import { createHmac } from 'node:crypto';
import { LosslessNumber, stringify } from 'lossless-json';

/** The `X-Shopify-Hmac-Sha256` header for `body`: HMAC-SHA256 of the raw bytes, base64. */
export function shopifySignature(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export interface ShopifyLineOptions {
  /** The line item id, digits; defaults to one past 2^53 so lossy parsing shows. */
  id?: string;
  sku?: string | null;
  title?: string;
  qty?: number;
  /** Shopify's `current_quantity` (after edits); defaults to `qty`. */
  currentQty?: number;
  requiresShipping?: boolean;
  giftCard?: boolean;
  properties?: { name: string; value: string }[];
  barcode?: string;
}

export interface ShopifyAddressOptions {
  first_name?: string | null;
  last_name?: string | null;
  name?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  province_code?: string | null;
  zip?: string | null;
  country?: string | null;
  country_code?: string | null;
  phone?: string | null;
}

export interface ShopifyOrderOptions {
  /** The order id, digits. */
  id?: string;
  name?: string;
  lines?: ShopifyLineOptions[];
  createdAt?: string;
  updatedAt?: string;
  cancelledAt?: string | null;
  cancelReason?: string | null;
  /** Merged over a default address; null sends `shipping_address: null` (a digital order). */
  shippingAddress?: ShopifyAddressOptions | null;
  /** The first shipping line's title; null sends no shipping line. */
  shippingTitle?: string | null;
  noteAttributes?: { name: string; value: string }[];
}

export const DEFAULT_ORDER_ID = '5870917419123456789';
const FIRST_LINE_ID = 9007199254740993n;

const money = (amount: string) => ({
  shop_money: { amount, currency_code: 'USD' },
  presentment_money: { amount, currency_code: 'USD' },
});

const id = (digits: string | bigint) => new LosslessNumber(String(digits));

/** A full `orders/create` body as Shopify sends it (REST shape, snake_case), as JSON text. */
export function shopifyOrderPayload(options: ShopifyOrderOptions = {}): string {
  const orderId = options.id ?? DEFAULT_ORDER_ID;
  const createdAt = options.createdAt ?? '2026-12-05T09:14:03-05:00';
  const lines = options.lines ?? [{}];
  const address = options.shippingAddress === null ? null : {
    first_name: 'Ana',
    last_name: 'Lima',
    name: 'Ana Lima',
    company: null,
    address1: '12 Harbour Road',
    address2: '',
    city: 'Portland',
    province: 'Oregon',
    province_code: 'OR',
    zip: '97201',
    country: 'United States',
    country_code: 'US',
    phone: '+1 503 555 0134',
    latitude: 45.5152,
    longitude: -122.6784,
    ...options.shippingAddress,
  };
  const lineItems = lines.map((line, index) => {
    const qty = line.qty ?? 1;
    return {
      id: id(line.id ?? FIRST_LINE_ID + BigInt(index)),
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id ?? FIRST_LINE_ID + BigInt(index)}`,
      current_quantity: line.currentQty ?? qty,
      fulfillable_quantity: line.currentQty ?? qty,
      fulfillment_service: 'manual',
      fulfillment_status: null,
      gift_card: line.giftCard ?? false,
      grams: 450,
      name: line.title ?? `Item ${index + 1}`,
      price: '19.00',
      price_set: money('19.00'),
      product_exists: true,
      product_id: id(8123456789012345678n + BigInt(index)),
      properties: line.properties ?? [],
      quantity: qty,
      requires_shipping: line.requiresShipping ?? !(line.giftCard ?? false),
      sku: line.sku === undefined ? `SKU-${index + 1}` : line.sku,
      taxable: true,
      title: line.title ?? `Item ${index + 1}`,
      total_discount: '0.00',
      total_discount_set: money('0.00'),
      variant_id: id(7123456789012345678n + BigInt(index)),
      variant_inventory_management: 'shopify',
      variant_title: null,
      vendor: 'Dockhand Test Shop',
      tax_lines: [],
      duties: [],
      discount_allocations: [],
      ...(line.barcode === undefined ? {} : { barcode: line.barcode }),
    };
  });
  const body = {
    id: id(orderId),
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    app_id: id('580111'),
    cancel_reason: options.cancelReason ?? (options.cancelledAt ? 'customer' : null),
    cancelled_at: options.cancelledAt ?? null,
    checkout_id: id('6543210987654321987'),
    closed_at: null,
    confirmation_number: 'K7QWZ2M1P',
    confirmed: true,
    contact_email: 'ana@example.com',
    created_at: createdAt,
    currency: 'USD',
    current_total_price: '19.00',
    email: 'ana@example.com',
    financial_status: 'paid',
    fulfillment_status: null,
    location_id: null,
    name: options.name ?? '#1001',
    note: null,
    note_attributes: options.noteAttributes ?? [],
    number: 1,
    order_number: 1001,
    processed_at: createdAt,
    source_name: 'web',
    tags: '',
    test: false,
    total_price: '19.00',
    total_price_set: money('19.00'),
    total_weight: 450,
    updated_at: options.updatedAt ?? createdAt,
    user_id: null,
    billing_address: address,
    customer: {
      id: id('7390124456789012345'),
      email: 'ana@example.com',
      first_name: 'Ana',
      last_name: 'Lima',
      state: 'enabled',
      default_address: address,
    },
    discount_applications: [],
    fulfillments: [],
    line_items: lineItems,
    refunds: [],
    shipping_address: address,
    shipping_lines: options.shippingTitle === null ? [] : [{
      id: id('4946439733548123456'),
      carrier_identifier: null,
      code: options.shippingTitle ?? 'Standard',
      discounted_price: '5.00',
      is_removed: false,
      price: '5.00',
      price_set: money('5.00'),
      source: 'shopify',
      title: options.shippingTitle ?? 'Standard',
      tax_lines: [],
      discount_allocations: [],
    }],
  };
  return stringify(body, null, 2)!;
}
