// Packing and shipping offline in Chromium, as a packer at a desk with a wedge scanner and a wedge
// scale: two picked orders opened by their numbers, every item scanned into the carton (a wrong
// one refused), the carton closed with its box scanned from the shelf and the weight the scale
// types, a UPS label on one and a USPS label on the other, all with the network gone; reconnect and the
// server holds both orders shipped, their units gone from the pack station's stock, and the
// merchant's store has one signed fulfillment notice per order.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gs1CheckDigit } from '../../src/domain/gtin';
import { DUPLICATE_WINDOW_MS } from '../../src/scanner/wedge';
import { keepScreenshot, launchChromium, scan, seriousViolations, startDockhand, statusText, type RunningApp } from './harness';

/** UPS's published example tracking number (valid mod-10 check digit). */
const UPS = '1Z999AA10123456784';
/** A USPS IMpb tracking number (GS1 mod-10 check digit). */
const USPS_BODY = '940011189922319742849';
const USPS = `${USPS_BODY}${gs1CheckDigit(USPS_BODY)}`;

const SECRET = 'shpss_e2e_fulfillment_5c1d';
const SHOP = 'northwind-coffee.myshopify.com';

/** What the store's endpoint received, with whether each notice's signature verified. */
const notices: { key: string; verified: boolean; body: { order_number: string; tracking_number: string; tracking_company: string } }[] = [];
let store: Server;

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  store = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const verified = createHmac('sha256', SECRET).update(raw).digest('base64') === request.headers['x-dockhand-hmac-sha256'];
      notices.push({ key: String(request.headers['idempotency-key']), verified, body: JSON.parse(raw.toString('utf8')) as never });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  [app, browser] = await Promise.all([startDockhand(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise((resolve) => store?.close(resolve));
});

/** The owner's Shopify store, with its fulfillment callback on the local receiver; `orderIds` came in through it. */
async function connectStore(orderIds: string[]): Promise<void> {
  const session = await fetch(`${app.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', pin: '9999', deviceId: 'e2e-admin-1' }) });
  const admin = { 'content-type': 'application/json', authorization: `Bearer ${((await session.json()) as { token: string }).token}` };
  const { rows } = await app.db.query<{ owner_id: string }>('select distinct owner_id from orders where id = any($1::text[])', [orderIds]);
  expect(rows).toHaveLength(1);
  const created = await fetch(`${app.url}/api/admin/integrations`, { method: 'POST', headers: admin, body: JSON.stringify({ owner: rows[0]!.owner_id, name: 'Web store', type: 'shopify', shopDomain: SHOP, webhookSecret: SECRET }) });
  expect(created.status).toBe(201);
  const { integration } = (await created.json()) as { integration: { id: string } };
  const url = `http://127.0.0.1:${(store.address() as AddressInfo).port}/fulfillments`;
  const callback = await fetch(`${app.url}/api/admin/integrations/${integration.id}/fulfillment-callback`, { method: 'PUT', headers: admin, body: JSON.stringify({ url }) });
  expect(callback.status).toBe(200);
  // The demo's orders were seeded, not taken in: mark these two as the store's, as its webhooks would have.
  await app.db.query('update orders set integration_id = $1, external_id = id where id = any($2::text[])', [integration.id, orderIds]);
}

interface OrderToPack {
  id: string;
  number: string;
  lines: { sku: string; qty: number }[];
}

/** Picks every line of the first open list through the API, as a picker's device would have. */
async function pickFirstList(): Promise<OrderToPack[]> {
  const { rows: lines } = await app.db.query<{ id: string; location_id: string; product_id: string; qty: number; order_id: string }>(
    `select p.id, p.location_id, p.product_id, p.qty, p.order_id from pick_lines p join pick_lists l on l.id = p.pick_list_id
     where l.id = (select id from pick_lists where status = 'open' order by number limit 1) order by p.walk_seq, p.id`,
  );
  const session = await fetch(`${app.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', pin: '1111', deviceId: 'e2e-picker-1' }) });
  const { token } = (await session.json()) as { token: string };
  const mutations = lines.map((line, i) => ({
    id: crypto.randomUUID(), seq: i + 1, type: 'pick', version: 1, clientTime: new Date().toISOString(),
    args: { pickLineId: line.id, locationId: line.location_id, productId: line.product_id, lot: null, qty: line.qty },
  }));
  const pushed = await fetch(`${app.url}/api/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ mutations }) });
  const { results } = (await pushed.json()) as { results: { status: string; message: string | null }[] };
  expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
  const orderIds = [...new Set(lines.map((line) => line.order_id))];
  const orders: OrderToPack[] = [];
  for (const id of orderIds) {
    const { rows } = await app.db.query<{ number: string; sku: string; qty: number }>(
      'select o.number, p.sku, l.qty from orders o join order_lines l on l.order_id = o.id join products p on p.id = l.product_id where o.id = $1 order by l.id',
      [id],
    );
    orders.push({ id, number: rows[0]!.number, lines: rows.map((r) => ({ sku: r.sku, qty: r.qty })) });
  }
  return orders;
}

it('packs two picked orders offline, refuses a wrong item, ships them by UPS and USPS labels, and syncs both once', async () => {
  const orders = (await pickFirstList()).slice(0, 2);
  expect(orders).toHaveLength(2);
  await connectStore(orders.map((order) => order.id));

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByLabel('Username').fill('operator');
  await page.getByLabel('PIN').fill('1111');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');
  await page.getByRole('link', { name: 'Pack', exact: true }).click();
  await page.getByLabel('Scan', { exact: true }).waitFor();

  await context.setOffline(true);
  await expect.poll(() => statusText(page)).toContain('Offline');
  const labels = [UPS, USPS];
  for (const [index, order] of orders.entries()) {
    await scan(page, order.number);
    await page.getByRole('heading', { name: `Pack order ${order.number}` }).waitFor();
    if (index === 0) {
      // Another order's item: refused, naming what this one still expects.
      const stranger = orders[1]!.lines.find((line) => !order.lines.some((own) => own.sku === line.sku))!;
      await scan(page, stranger.sku);
      await expect.poll(() => page.getByRole('alert').innerText()).toContain(`${stranger.sku} is not on order ${order.number}`);
      await page.waitForTimeout(DUPLICATE_WINDOW_MS);
    }
    for (const line of order.lines) {
      for (let unit = 0; unit < line.qty; unit++) {
        await scan(page, line.sku);
        await expect.poll(() => page.locator('.floor-message').first().innerText()).toMatch(new RegExp(`${line.sku}: ${unit + 1} of ${line.qty}`));
        // The same value twice within the duplicate window is one scan, as a wedge double-read is.
        await page.waitForTimeout(DUPLICATE_WINDOW_MS);
      }
    }
    await expect.poll(() => page.locator('.floor-message').first().innerText()).toMatch(new RegExp(`Order ${order.number} is all in: close carton 1\\.$`));
    // The box's shelf code through the wedge scanner, then the scale types the weight and Enter.
    await scan(page, 'BOX-S');
    const weight = page.getByRole('textbox', { name: /Weight/ });
    await expect.poll(() => weight.evaluate((field) => field === document.activeElement)).toBe(true);
    if (index === 0) {
      expect(await seriousViolations(page)).toEqual([]);
      await keepScreenshot(page, 'pack-close-carton');
    }
    await page.keyboard.type(index === 0 ? '1.35 kg' : 'ST,GS,+000.820kg');
    await page.keyboard.press('Enter');
    const kg = index === 0 ? '1.35' : '0.82';
    await expect.poll(() => page.locator('.floor-message').first().innerText()).toBe(`Carton 1 closed (BOX-S, ${kg} kg). Order ${order.number} is packed: scan the carrier label.`);
    if (index === 0) await keepScreenshot(page, 'pack-order-packed');
    await scan(page, labels[index]!);
    const carrier = index === 0 ? `UPS ${UPS}` : `USPS ${USPS}`;
    await expect.poll(() => page.locator('.floor-message').first().innerText()).toBe(`Order ${order.number} shipped with ${carrier}. Scan the next order.`);
  }
  await expect.poll(() => statusText(page)).toMatch(/Offline · \d+ pending/);

  await context.setOffline(false);
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');
  const { rows: shipped } = await app.db.query<{ number: string; status: string; carrier: string; tracking_number: string }>(
    `select o.number, o.status, s.carrier, s.tracking_number from orders o join shipments s on s.order_id = o.id where o.id = any($1::text[]) order by s.tracking_number`,
    [orders.map((o) => o.id)],
  );
  expect(shipped.map((r) => [r.number, r.status, r.carrier, r.tracking_number]).sort()).toEqual(
    [[orders[0]!.number, 'shipped', 'UPS', UPS], [orders[1]!.number, 'shipped', 'USPS', USPS]].sort(),
  );
  // Every shipped unit left the building: the ledger holds one ship movement per packed line, each applied once.
  const { rows: moved } = await app.db.query<{ n: number }>(`select coalesce(-sum(delta), 0)::int as n from stock_movements where reason = 'ship'`);
  expect(moved[0]!.n).toBe(orders.flatMap((o) => o.lines).reduce((sum, line) => sum + line.qty, 0));
  const { rows: cartons } = await app.db.query<{ status: string; weight_grams: number; code: string }>(
    'select c.status, c.weight_grams, t.code from cartons c join carton_types t on t.id = c.carton_type_id where c.order_id = any($1::text[]) order by c.weight_grams',
    [orders.map((o) => o.id)],
  );
  expect(cartons).toEqual([{ status: 'closed', weight_grams: 820, code: 'BOX-S' }, { status: 'closed', weight_grams: 1350, code: 'BOX-S' }]);
  await keepScreenshot(page, 'pack-shipped');
  await context.close();

  // The store hears of each shipment once, signed with its secret.
  await expect.poll(() => notices.length, { timeout: 30_000 }).toBe(2);
  expect(notices.every((notice) => notice.verified)).toBe(true);
  expect(new Set(notices.map((notice) => notice.key)).size).toBe(2);
  expect(notices.map((n) => [n.body.order_number, n.body.tracking_company, n.body.tracking_number]).sort()).toEqual(
    [[orders[0]!.number, 'UPS', UPS], [orders[1]!.number, 'USPS', USPS]].sort(),
  );
}, 180_000);
