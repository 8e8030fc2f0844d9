// The admin console in Chromium, as a new admin would use it: sign in, open Admin, add a carton
// type for an owner, import a products file with one bad row and read that row's error in the
// table, create an API integration and see its key once. Every section passes axe (no serious or
// critical violations) and is kept as a screenshot. A supervisor is offered no Admin entry, the
// console shows them the server's refusal, and the API answers an admin route with 403.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keepScreenshot, launchChromium, seriousViolations, startDockhand, statusText, type RunningApp } from './harness';

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startDockhand(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A products file whose second row carries a UPC with a wrong check digit (036000291452 is valid). */
const PRODUCTS_CSV = 'sku,name,barcodes\nE2E-MUG,Test mug,036000291452\nE2E-CUP,Test cup,036000291453\n';

async function signIn(page: Page, username: string, pin: string): Promise<void> {
  await page.goto(app.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');
}

async function openSection(page: Page, label: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
}

async function checkAndKeep(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page), name).toEqual([]);
  await keepScreenshot(page, name);
}

it('lets an admin add a carton type, read a CSV row error, and see a new API key once; axe passes on every section', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, 'admin', '9999');
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();

  // Owners: the demo's three.
  const owners = page.getByRole('table', { name: 'Owners' });
  await owners.waitFor();
  expect(await owners.getByRole('row').count()).toBe(4);
  await checkAndKeep(page, 'admin-owners');

  // Carton types: a box for Harbor Outdoor, listed once saved.
  await openSection(page, 'Carton types', 'Carton types');
  await page.getByLabel('Owner').selectOption({ label: 'HBO — Harbor Outdoor' });
  await page.getByRole('button', { name: 'Add carton type' }).click();
  const box = page.getByRole('form', { name: 'Add carton type' });
  await box.getByLabel('Code').fill('TENT-XL');
  await box.getByLabel('Name').fill('Extra large tent box');
  await box.getByLabel('Length (mm)').fill('900');
  await box.getByLabel('Width (mm)').fill('450');
  await box.getByLabel('Height (mm)').fill('350');
  await box.getByLabel('Max weight (g, optional)').fill('25000');
  await box.getByRole('button', { name: 'Save carton type' }).click();
  await page.getByText('TENT-XL saved. Pack stations have it at their next sync.').waitFor();
  const boxes = page.getByRole('table', { name: 'Carton types of HBO' });
  await boxes.getByRole('cell', { name: 'Extra large tent box', exact: true }).waitFor();
  const { rows: saved } = await app.db.query<{ owner_id: string; length_mm: number }>(`select owner_id, length_mm from carton_types where code = 'TENT-XL'`);
  expect(saved).toEqual([{ owner_id: 'own-harbor', length_mm: 900 }]);
  await checkAndKeep(page, 'admin-carton-types');

  // Imports: a products file with one bad row is refused whole; the row's error is in the table.
  await openSection(page, 'Imports and exports', 'Imports and exports');
  await page.getByLabel('What the file holds').selectOption('products');
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(PRODUCTS_CSV) });
  await page.getByRole('button', { name: 'Upload' }).click();
  const refused = page.getByRole('table', { name: /Rows refused: 1/ });
  await refused.waitFor();
  const cells = await refused.getByRole('row').nth(1).getByRole('cell').allInnerTexts();
  expect(cells[0]).toBe('3');
  expect(cells[1]).toBe('barcodes');
  expect(cells[2]).toContain('036000291453');
  const { rows: imported } = await app.db.query(`select 1 from products where sku like 'E2E-%'`);
  expect(imported).toEqual([]);
  await checkAndKeep(page, 'admin-csv-refused');

  // Integrations: an API client's key, shown once.
  await openSection(page, 'Integrations', 'Integrations');
  await page.getByRole('button', { name: 'Add integration' }).click();
  const integration = page.getByRole('form', { name: 'Add integration' });
  await integration.getByLabel('Owner').selectOption({ label: 'NWC — Northwind Coffee' });
  await integration.getByLabel('Name').fill('Northwind ERP');
  await integration.getByLabel('Kind').selectOption('api');
  await integration.getByRole('button', { name: 'Create integration' }).click();
  const shown = page.getByRole('group', { name: 'API key for Northwind ERP' });
  const key = await shown.locator('code').innerText();
  expect(key.length).toBeGreaterThan(20);
  await page.getByRole('table', { name: 'Integrations' }).getByRole('cell', { name: 'Northwind ERP', exact: true }).waitFor();
  await checkAndKeep(page, 'admin-integration-key');
  // The key works for the owner's API, and is gone from the screen once copied.
  const orders = await fetch(`${app.url}/api/orders`, { headers: { authorization: `Bearer ${key}` } });
  expect(orders.status).toBe(200);
  await shown.getByRole('button', { name: 'I have copied it' }).click();
  expect(await page.getByText(key).count()).toBe(0);

  for (const [label, name] of [['Users', 'admin-users'], ['Devices', 'admin-devices']] as const) {
    await openSection(page, label, label);
    await page.getByRole('table', { name: label }).waitFor();
    await checkAndKeep(page, name);
  }
  await context.close();
});

it('offers a supervisor no Admin entry, and the API refuses them with 403', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  await signIn(page, 'supervisor', '2222');
  await page.getByRole('link', { name: 'Supervisor', exact: true }).waitFor();
  expect(await page.getByRole('link', { name: 'Admin', exact: true }).count()).toBe(0);

  // Typed in by hand, the console shows the server's refusal, not a list.
  await page.goto(`${app.url}/admin`);
  await expect.poll(() => page.getByRole('alert').first().innerText(), { timeout: 15_000 }).toContain('admin role');
  await checkAndKeep(page, 'admin-refused-supervisor');

  const session = await fetch(`${app.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', pin: '2222', deviceId: 'e2e-supervisor-api' }) });
  const { token } = (await session.json()) as { token: string };
  for (const path of ['/api/admin/owners', '/api/admin/users', '/api/admin/devices', '/api/admin/carton-types']) {
    const answer = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status, path).toBe(403);
  }
  await context.close();
});
