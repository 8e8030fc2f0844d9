// The offline pick loop in Chromium, as a picker does it: sign in, first load, lose the network,
// reload, pick a whole list by typing scans into "Scan", close the app and open it again offline,
// reconnect — then the server holds every scan, applied once.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DUPLICATE_WINDOW_MS } from '../../src/scanner/wedge';
import { keepScreenshot, launchChromium, scan, seriousViolations, startDockhand, statusText, type RunningApp } from './harness';


let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startDockhand(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A product's retail barcode as printed (EAN-13/UPC-A), from its stored GTIN-14 key. */
async function retailBarcode(sku: string): Promise<string> {
  const { rows } = await app.db.query<{ barcodes: string[] }>('select barcodes from products where sku = $1', [sku]);
  const gtin14 = rows[0]!.barcodes.find((code) => /^0\d{13}$/.test(code))!;
  return gtin14.slice(1);
}

it('picks a whole list offline across a reload and a restart, then syncs every scan exactly once', async () => {
  const { rows: lists } = await app.db.query<{ id: string; number: string }>(
    `select l.id, l.number from pick_lists l where l.status = 'open' order by l.number limit 1`,
  );
  const list = lists[0]!;
  const { rows: lines } = await app.db.query<{ qty: number }>('select qty from pick_lines where pick_list_id = $1', [list.id]);
  expect(lines.length).toBeGreaterThan(2);

  const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
  // Scans commit in the submission worker; falling back to the page would hide a worker that
  // cannot start (say, offline without its script), so any complaint about it fails the test.
  const workerTrouble: string[] = [];
  context.on('console', (message) => {
    if (/submission worker|known state/i.test(message.text())) workerTrouble.push(message.text());
  });
  let page = await context.newPage();
  await page.goto(app.url);
  await page.getByLabel('Username').fill('operator');
  await page.getByLabel('PIN').fill('1111');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');

  await page.getByRole('link', { name: 'Pick', exact: true }).click();
  await page.getByRole('link', { name: list.number }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);

  await context.setOffline(true);
  await page.reload();
  await expect.poll(() => statusText(page)).toContain('Offline');
  await page.getByRole('link', { name: list.number }).click();
  await page.getByLabel('Scan', { exact: true }).waitFor();

  let scans = 0;
  let screenshotTaken = false;
  for (let done = 0; done < lines.length; done++) {
    if (done === 2) {
      // Close the app mid-list and open it again, still offline.
      await page.close();
      page = await context.newPage();
      await page.goto(`${app.url}/pick/${encodeURIComponent(list.id)}`);
      await page.getByLabel('Scan', { exact: true }).waitFor();
      await expect.poll(() => statusText(page)).toMatch(/Offline · \d+ pending/);
      // Started offline, from the service worker's precache.
      expect(page.workers().map((worker) => worker.url())).toContainEqual(expect.stringContaining('submit-worker'));
    }
    const current = page.getByRole('region', { name: 'Current line' });
    const bin = await current.locator('.pick-line-bin-code').innerText();
    const sku = (await current.locator('.pick-line-sku').innerText()).replace(/^SKU\s+/, '').split(' · ')[0]!.trim();
    const left = Number(await current.locator('.pick-line-qty-value').innerText());
    const header = page.locator('.pick-header-progress');
    const unitsBefore = Number(/· (\d+)\//.exec(await header.innerText())![1]);
    await scan(page, bin);
    await expect.poll(() => current.innerText()).toContain('confirmed');
    const barcode = await retailBarcode(sku);
    // Each scan is +1; a line of many units takes one scan, then the rest as a typed quantity.
    const byScan = left > 3 ? 1 : left;
    for (let unit = 0; unit < byScan; unit++) {
      await scan(page, barcode);
      scans++;
      if (unit + 1 < byScan) {
        await expect.poll(() => current.locator('.pick-line-qty-value').innerText()).toBe(String(left - unit - 1));
        // A picker's next trigger pull comes after the scanner's double-read window.
        await page.waitForTimeout(DUPLICATE_WINDOW_MS + 50);
      }
    }
    if (!screenshotTaken) {
      await keepScreenshot(page, 'pick-screen');
      expect(await seriousViolations(page)).toEqual([]);
      screenshotTaken = true;
    }
    if (byScan < left) {
      await page.getByRole('button', { name: 'Enter quantity' }).click();
      await page.getByRole('form', { name: 'Enter quantity' }).getByRole('spinbutton').or(page.getByRole('form', { name: 'Enter quantity' }).getByRole('textbox')).first().fill(String(left - byScan));
      await page.getByRole('form', { name: 'Enter quantity' }).getByRole('button').first().click();
      scans++;
    }
    if (done + 1 < lines.length) await expect.poll(() => header.innerText()).toContain(`· ${unitsBefore + left}/`);
  }
  await page.getByRole('heading', { name: 'Pick list done' }).waitFor();
  expect(workerTrouble).toEqual([]);
  // Every scan, and the list's claim made when it was opened.
  await expect.poll(() => statusText(page)).toContain(`Offline · ${scans + 1} pending`);

  // Nothing reached the server while offline.
  const before = await app.db.query<{ n: number }>("select count(*)::int as n from stock_movements where reason = 'pick'");
  expect(before.rows[0]!.n).toBe(0);

  await context.setOffline(false);
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');

  const { rows: after } = await app.db.query<{ qty: number; picked_qty: number; status: string }>(
    'select qty, picked_qty, status from pick_lines where pick_list_id = $1', [list.id],
  );
  expect(after.every((line) => line.status === 'done' && line.picked_qty === line.qty)).toBe(true);
  const { rows: results } = await app.db.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from mutation_results group by status',
  );
  expect(results).toEqual([{ status: 'applied', n: scans + 1 }]);
  const { rows: listRow } = await app.db.query<{ status: string }>('select status from pick_lists where id = $1', [list.id]);
  expect(listRow[0]!.status).toBe('done');
  await context.close();
});
