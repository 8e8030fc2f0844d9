// Shopify order webhooks into OrderIntake: ids stay exact through parsing, and each kind of
// order Shopify sends (edited, cancelled, gift card, digital) maps as intake expects.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseShopifyBody, shopifyToIntake, type ShopifyIntake } from './shopify';
import { DEFAULT_ORDER_ID, shopifyOrderPayload, shopifySignature } from '../../test/factories/shopify';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/shopify/${name}`, import.meta.url));

function intakeOf(raw: Buffer | string): Extract<ShopifyIntake, { ok: true }> {
  const parsed = parseShopifyBody(raw);
  if (!parsed.ok) throw new Error(parsed.message);
  const result = shopifyToIntake(parsed.value);
  if (!result.ok) throw new Error(result.message);
  return result;
}

function refusalOf(raw: Buffer | string): string {
  const parsed = parseShopifyBody(raw);
  if (!parsed.ok) return parsed.message;
  const result = shopifyToIntake(parsed.value);
  if (result.ok) throw new Error(`Expected a refusal, got ${JSON.stringify(result.intake)}`);
  return result.message;
}

/** The digits written after the first `"key": ` at or after `from` in a fixture's text. */
function literal(text: string, key: string, from = 0): string {
  const match = new RegExp(`"${key}": (\\d+)`).exec(text.slice(from));
  if (!match?.[1]) throw new Error(`No ${key} in the fixture`);
  return match[1];
}

describe('parseShopifyBody', () => {
  it('keeps every 64-bit id exactly as written, where JSON.parse rounds it', () => {
    const raw = fixture('orders-create.json');
    const text = raw.toString('utf8');
    const parsed = parseShopifyBody(raw);
    if (!parsed.ok) throw new Error(parsed.message);
    const order = parsed.value as { id: string; checkout_id: string; customer: { id: string }; line_items: { id: string; variant_id: string }[] };

    expect(order.id).toBe(literal(text, 'id'));
    expect(order.id).toBe('5870917419123456789');
    expect(order.checkout_id).toBe('6543210987654321987');
    expect(order.customer.id).toBe('7390124456789012345');
    const lines = text.indexOf('"line_items"');
    expect(order.line_items.map((line) => line.id)).toEqual(['9007199254740993', '8470716993619912345']);
    expect(order.line_items[0]!.id).toBe(literal(text, 'id', lines));
    expect(order.line_items[0]!.variant_id).toBe(literal(text, 'variant_id', lines));

    // What the naive parse would have stored: every one of these ids off by a few units.
    const naive = JSON.parse(text) as { id: number; line_items: { id: number }[] };
    expect(String(naive.id)).toBe('5870917419123457000');
    expect(String(naive.line_items[0]!.id)).toBe('9007199254740992');
    expect(String(naive.line_items[1]!.id)).not.toBe('8470716993619912345');
  });

  it('turns small numbers into numbers and leaves prices as Shopify writes them', () => {
    const parsed = parseShopifyBody(fixture('orders-create.json'));
    if (!parsed.ok) throw new Error(parsed.message);
    const order = parsed.value as { app_id: string; order_number: number; total_weight: number; total_price: string; shipping_address: { latitude: number } };
    expect(order.app_id).toBe('580111');
    expect(order.order_number).toBe(1001);
    expect(order.total_weight).toBe(2900);
    expect(order.total_price).toBe('402.90');
    expect(order.shipping_address.latitude).toBe(53.2203);
  });

  it('tolerates a byte order mark, as a Buffer or a string', () => {
    const body = shopifyOrderPayload();
    expect(intakeOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)])).intake.externalId).toBe(DEFAULT_ORDER_ID);
    expect(intakeOf(`\uFEFF${body}`).intake.externalId).toBe(DEFAULT_ORDER_ID);
  });

  it('refuses what is not JSON with a message, never a throw', () => {
    for (const bad of ['', '{', '{"id": 1,}', 'null x', "{'id': 1}", '{"id": 1, "id": 2}']) {
      const parsed = parseShopifyBody(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/^The body is not valid JSON: /);
    }
    expect(parseShopifyBody(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({ ok: false, message: 'The body is not valid UTF-8' });
    const deep = parseShopifyBody('['.repeat(200_000) + ']'.repeat(200_000));
    expect(deep.ok).toBe(false);
  });

  it('survives integers past 64 bits and numbers past a double outside ids', () => {
    const body = shopifyOrderPayload().replace('"total_weight": 450', '"total_weight": 123456789012345678901234567890, "x": 1e500');
    const parsed = parseShopifyBody(body);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.value).toMatchObject({ total_weight: '123456789012345678901234567890', x: '1e500' });
    expect(shopifyToIntake(parsed.value).ok).toBe(true);
  });
});

describe('shopifyToIntake', () => {
  it('maps a full orders/create body', () => {
    const { intake, cancelled, removedLineIds } = intakeOf(fixture('orders-create.json'));
    expect(cancelled).toBe(false);
    expect(removedLineIds).toEqual([]);
    expect(intake).toEqual({
      number: '#1001',
      externalId: '5870917419123456789',
      orderedAt: '2026-12-05T14:14:03.000Z', // 09:14:03-05:00, kept in UTC
      updatedAt: '2026-12-05T14:14:05.000Z',
      shipBy: null,
      shippingMethod: 'Expedited Parcel',
      customerName: 'Zoë Ferreira',
      shipTo: {
        name: 'Zoë Ferreira',
        company: null,
        address1: '2259 Park Ct',
        address2: 'Apartment 5',
        city: 'Drayton Valley',
        province: 'Alberta',
        postalCode: 'T0E 0M0',
        country: 'CA',
        phone: '+1 503-555-0134',
      },
      lines: [
        { externalId: '9007199254740993', sku: 'PARKA-RED-M', barcode: null, name: 'Alpine Parka - Red / M', qty: 1, requiresShipping: true },
        { externalId: '8470716993619912345', sku: 'SOCK-WOOL-L', barcode: null, name: 'Merino Hiking Socks - Large', qty: 2, requiresShipping: true },
      ],
    });
  });

  it('takes current_quantity after an edit, and the later updated_at', () => {
    const { intake, removedLineIds } = intakeOf(fixture('orders-updated.json'));
    expect(intake.updatedAt).toBe('2026-12-06T19:02:41.000Z');
    expect(intake.lines.map((line) => [line.externalId, line.qty])).toEqual([['9007199254740993', 1], ['8470716993619912345', 1]]);
    expect(removedLineIds).toEqual([]);
  });

  it('drops a line edited down to zero and names it', () => {
    const body = shopifyOrderPayload({ lines: [{ id: '9007199254740993', qty: 2 }, { id: '9007199254740995', qty: 3, currentQty: 0 }] });
    const { intake, removedLineIds } = intakeOf(body);
    expect(intake.lines.map((line) => [line.externalId, line.qty])).toEqual([['9007199254740993', 2]]);
    expect(removedLineIds).toEqual(['9007199254740995']);
  });

  it('falls back to quantity when current_quantity is absent (older API versions)', () => {
    const body = shopifyOrderPayload({ lines: [{ qty: 4 }] }).replace(/"current_quantity": 4,\s*/, '');
    expect(body).not.toContain('current_quantity');
    expect(intakeOf(body).intake.lines[0]!.qty).toBe(4);
  });

  it('refuses an order edited down to nothing that is not cancelled', () => {
    expect(refusalOf(shopifyOrderPayload({ lines: [{ qty: 1, currentQty: 0 }] }))).toBe('line_items: no line has a quantity left to ship');
  });

  it('reports a cancelled order, its lines as ordered', () => {
    const { intake, cancelled, removedLineIds } = intakeOf(fixture('orders-cancelled.json'));
    expect(cancelled).toBe(true);
    expect(intake.lines.map((line) => line.qty)).toEqual([1, 2]);
    expect(removedLineIds).toEqual([]);
    expect(intakeOf(shopifyOrderPayload({ cancelledAt: '2026-12-06T10:00:00-05:00' })).cancelled).toBe(true);
  });

  it('marks a gift card line as not needing shipping', () => {
    const { intake } = intakeOf(fixture('orders-create-gift-card.json'));
    expect(intake.lines.map((line) => [line.name, line.sku, line.requiresShipping])).toEqual([
      ['Alpine Parka - Red / M', 'PARKA-RED-M', true],
      ['Gift Card - $50.00', null, false],
    ]);
    // A gift card marked as shipping (a physical card) is still not the floor's to fulfil.
    const physicalCard = intakeOf(shopifyOrderPayload({ lines: [{ giftCard: true, requiresShipping: true }] }));
    expect(physicalCard.intake.lines[0]!.requiresShipping).toBe(false);
  });

  it('gives no ship-to for an order without a shipping address', () => {
    const { intake } = intakeOf(fixture('orders-create-no-address.json'));
    expect(intake.shipTo).toBeNull();
    expect(intake.shippingMethod).toBeNull();
    expect(intake.customerName).toBe('Zoë Ferreira');
    expect(intake.lines[0]).toMatchObject({ sku: null, requiresShipping: false });
    expect(intakeOf(shopifyOrderPayload({ shippingAddress: null })).intake.shipTo).toBeNull();
    // An address with no street cannot be labelled: held for a person, not a refused webhook.
    expect(intakeOf(shopifyOrderPayload({ shippingAddress: { address1: null } })).intake.shipTo).toBeNull();
  });

  it('builds the ship-to name from first and last name, and the customer name from the customer', () => {
    const { intake } = intakeOf(shopifyOrderPayload({ shippingAddress: { name: null, first_name: ' Ana ', last_name: 'Lima', company: '', address2: '' } }));
    expect(intake.shipTo).toMatchObject({ name: 'Ana Lima', company: null, address2: null });
    const body = shopifyOrderPayload({ shippingAddress: null }).replace(/"customer": \{[^}]*\}/, '"customer": null');
    expect(intakeOf(body).intake.customerName).toBe('');
  });

  it('reads a null or empty SKU as no SKU, and trims one', () => {
    const { intake } = intakeOf(shopifyOrderPayload({ lines: [{ sku: null }, { sku: '' }, { sku: '  ABC-1 ' }, { sku: '   ' }] }));
    expect(intake.lines.map((line) => line.sku)).toEqual([null, null, 'ABC-1', null]);
  });

  it('keeps a barcode an app adds to a line', () => {
    expect(intakeOf(shopifyOrderPayload({ lines: [{ barcode: '0012345678905' }] })).intake.lines[0]!.barcode).toBe('0012345678905');
  });

  it('normalizes names to Unicode NFC', () => {
    const decomposed = 'Zoe\u0308 Me\u0301ndez';
    const { intake } = intakeOf(shopifyOrderPayload({ shippingAddress: { name: decomposed }, lines: [{ title: 'Cafe\u0301 Mug' }] }));
    expect(intake.customerName).toBe('Zoë Méndez'.normalize('NFC'));
    expect(intake.shipTo?.name).toBe(decomposed.normalize('NFC'));
    expect(intake.lines[0]!.name).toBe('Café Mug'.normalize('NFC'));
  });

  it('takes a ship-by date from a note attribute, and ignores one that is not a date', () => {
    const dated = (value: string, name = 'Ship by') => intakeOf(shopifyOrderPayload({ noteAttributes: [{ name: 'Gift wrap', value: 'no' }, { name, value }] })).intake.shipBy;
    expect(dated('2026-12-10')).toBe('2026-12-10');
    expect(dated('2026-12-10', 'ship_by')).toBe('2026-12-10');
    expect(dated('2026-12-10', 'Ship-By Date')).toBe('2026-12-10');
    expect(dated('2026-02-30')).toBeNull();
    expect(dated('2026-13-01')).toBeNull();
    expect(dated('2028-02-29')).toBe('2028-02-29');
    expect(dated('next week')).toBeNull();
    expect(dated('2026-12-10', 'Delivery date')).toBeNull();
    const odd = shopifyOrderPayload().replace('"note_attributes": []', '"note_attributes": [{"name": null}]');
    expect(intakeOf(odd).intake.shipBy).toBeNull();
  });

  it('takes the shipping method from the first shipping line still on the order', () => {
    expect(intakeOf(shopifyOrderPayload({ shippingTitle: 'Overnight Express' })).intake.shippingMethod).toBe('Overnight Express');
    const removed = shopifyOrderPayload({ shippingTitle: 'Overnight Express' }).replace('"is_removed": false', '"is_removed": true');
    expect(intakeOf(removed).intake.shippingMethod).toBeNull();
  });

  it('ignores fields it does not read, whatever their shape', () => {
    const body = shopifyOrderPayload().replace('"tags": ""', '"tags": "", "brand_new_field": {"nested": [1, 2, {"deep": 92233720368547758070}]}');
    expect(intakeOf(body).intake.number).toBe('#1001');
  });

  it('refuses a body that is not an order, naming the field', () => {
    const order = JSON.parse(shopifyOrderPayload().replace(/"id": (\d+)/g, '"id": "$1"')) as Record<string, unknown>;
    const without = (key: string) => JSON.stringify({ ...order, [key]: undefined });
    expect(refusalOf(without('id'))).toBe('Not a Shopify order: id is missing');
    expect(refusalOf(without('name'))).toBe('Not a Shopify order: name is missing');
    expect(refusalOf(without('line_items'))).toBe('Not a Shopify order: line_items is missing');
    expect(refusalOf(without('created_at'))).toBe('Not a Shopify order: created_at is missing');
    expect(refusalOf(JSON.stringify({ ...order, line_items: [] }))).toBe('line_items: the order has no lines');
    expect(refusalOf(JSON.stringify({ ...order, name: '  ' }))).toMatch(/^The order does not fit intake: number: /);
    expect(refusalOf(shopifyOrderPayload().replace('"quantity": 1', '"quantity": "one"'))).toMatch(/^Not a Shopify order: line_items\/0\/quantity: /);
    expect(refusalOf('[]')).toBe('The body is not a Shopify order: expected a JSON object');
    expect(refusalOf('42')).toBe('The body is not a Shopify order: expected a JSON object');
    expect(refusalOf('{"id": 5870917419123456789}')).toBe('Not a Shopify order: name is missing; created_at is missing; line_items is missing');
  });

  it('refuses an id that has already lost digits, or is not a Shopify id', () => {
    const parsed = parseShopifyBody(shopifyOrderPayload());
    if (!parsed.ok) throw new Error(parsed.message);
    const rounded = { ...(parsed.value as object), id: Number('5870917419123456789') };
    expect(shopifyToIntake(rounded)).toEqual({ ok: false, message: 'Not a Shopify order: id: A number past 2^53 has lost digits: parse the body losslessly' });
    expect(refusalOf(shopifyOrderPayload({ id: '13470716993619912345' }))).toBe('Not a Shopify order: id: Expected a Shopify id (a positive 64-bit integer)');
    expect(refusalOf(shopifyOrderPayload({ id: '0' }))).toMatch(/^Not a Shopify order: id: Expected a Shopify id/);
    expect(intakeOf(shopifyOrderPayload({ id: '9223372036854775807' })).intake.externalId).toBe('9223372036854775807');
  });

  it('accepts a safe-integer id a JS value carries as a number', () => {
    const parsed = parseShopifyBody(shopifyOrderPayload());
    if (!parsed.ok) throw new Error(parsed.message);
    const result = shopifyToIntake({ ...(parsed.value as object), id: 450789469 });
    expect(result.ok && result.intake.externalId).toBe('450789469');
  });
});

describe('test factory', () => {
  it('writes ids as raw 64-bit literals', () => {
    const body = shopifyOrderPayload({ id: '9123456789012345678' });
    expect(body).toContain('"id": 9123456789012345678,');
    expect(body).toContain('"id": 9007199254740993,');
  });

  it('signs a body as Shopify does: HMAC-SHA256 of the raw bytes, base64', () => {
    // Known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    expect(shopifySignature('The quick brown fox jumps over the lazy dog', 'key')).toBe('97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=');
    expect(shopifySignature(Buffer.from('{}'), 'secret')).toBe(shopifySignature('{}', 'secret'));
  });
});
