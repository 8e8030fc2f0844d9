// An order from a merchant's Shopify store reaches a picker's open Pick screen in Chromium, with
// nobody touching the device: signed webhook in, allocated into a wave, pulled by the idle device.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { shopifyOrderPayload, shopifySignature } from '../factories/shopify';
import { IDLE_PULL_INTERVAL_MS } from '../../src/sync/engine';
import { keepScreenshot, launchChromium, startDockhand, statusText, type RunningApp } from './harness';

const SHOP = 'harbor-outdoor.myshopify.com';
const SECRET = 'shpss_e2e_4b1f0c9a7d2e';

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startDockhand(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function api(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const response = await fetch(`${app.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

it('a signed Shopify order shows on an open Pick screen by itself, once, as a new pick list', async () => {
  const session = await api('/api/session', { method: 'POST', body: JSON.stringify({ username: 'admin', pin: '9999', deviceId: 'e2e-admin-laptop' }) });
  const admin = { authorization: `Bearer ${session.body.token as string}` };
  const connected = await api('/api/admin/integrations', {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ owner: 'HBO', name: 'Harbor web store', type: 'shopify', shopDomain: SHOP, webhookSecret: SECRET }),
  });
  expect(connected.status).toBe(201);

  const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
  const page = await context.newPage();
  await page.goto(app.url);
  await page.getByLabel('Username').fill('harbor');
  await page.getByLabel('PIN').fill('3333');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');
  await page.getByRole('link', { name: 'Pick', exact: true }).click();
  const lists = page.getByRole('link', { name: /^PL-\d{6}$/ });
  await lists.first().waitFor();
  const before = await lists.count();

  const body = shopifyOrderPayload({ name: '#7001', lines: [{ sku: 'HBO-BTL-750', title: 'Trail bottle 750 ml', qty: 2 }], shippingTitle: 'UPS Ground' });
  const delivery = {
    'x-shopify-hmac-sha256': shopifySignature(body, SECRET),
    'x-shopify-shop-domain': SHOP,
    'x-shopify-topic': 'orders/create',
    'x-shopify-webhook-id': 'f2b4b7e1-6c1a-4c53-9a55-2e4f6d0e7001',
  };
  // Shopify retries: the same delivery twice makes one order.
  for (let i = 0; i < 2; i++) {
    const answer = await api('/api/webhooks/shopify', { method: 'POST', headers: delivery, body });
    expect(answer).toMatchObject({ status: 200, body: { outcome: 'created' } });
  }
  // Allocated on the server as it arrived, into a list of its own.
  const listOf = async () => (await app.db.query<{ number: string }>(
    `select l.number from pick_lists l join pick_lines p on p.pick_list_id = l.id join orders o on o.id = p.order_id where o.number = '#7001'`,
  )).rows.map((row) => row.number);
  await expect.poll(listOf).toHaveLength(1);
  const [number] = (await listOf()) as [string];

  // No reload, no scan: the idle device's next pull brings the list.
  await page.getByRole('link', { name: number }).waitFor({ timeout: IDLE_PULL_INTERVAL_MS + 15_000 });
  expect(await lists.count()).toBe(before + 1);
  await keepScreenshot(page, 'orders-in-pick-list');
  await page.getByRole('link', { name: number }).click();
  await expect.poll(() => page.getByRole('region', { name: 'Current line' }).innerText()).toContain('HBO-BTL-750');
  await context.close();
}, 120_000);
