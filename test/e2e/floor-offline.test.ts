// The inbound floor offline in Chromium, as a new operator does it: sign in, first load, lose the
// network and reload (the app opens from its service worker), then receive ASN-10412 (one GS1
// DataMatrix read through the fake camera fills lot and expiry by itself; more units and a second
// item by wedge scans; one damaged unit with a reason), put the received units away to the bins the
// app suggests, and process return RMA-HBO-0042 (restock to the suggested bin, one damaged). Each
// screen passes axe-core and is photographed. Reconnect: the server holds every action, applied
// once, with its stock movements traced to the user, the device and the mutation.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bwipjs from 'bwip-js/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DUPLICATE_WINDOW_MS } from '../../src/scanner/wedge';
import { keepScreenshot, launchChromium, scan, seriousViolations, startDockhand, statusText, type RunningApp } from './harness';
import { decodePng, placeOnFrame, writeY4m, type RgbaFrame } from './y4m';


const ESP_GTIN14 = '05060123001006';
const LOT = 'E2ELOT';
const JACKET_UPC = '841234001773';
const BOTTLE_UPC = '841234001490';

/** An expiry about a year ahead: the GS1 YYMMDD for the label and the ISO date the app stores. */
function expiryAYearAhead(): { yymmdd: string; iso: string } {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + 365);
  const iso = date.toISOString().slice(0, 10);
  return { yymmdd: iso.slice(2).replaceAll('-', ''), iso };
}
const EXPIRY = expiryAYearAhead();
/** The label on the espresso case: GTIN, expiry, lot (bracketed, as a wedge can type it). */
const ESP_LABEL = `(01)${ESP_GTIN14}(17)${EXPIRY.yymmdd}(10)${LOT}`;

let app: RunningApp;
let browser: Browser;
let footageDir: string;

/** Fake-camera footage of the GS1 DataMatrix: a few blank frames, then the code held still, looped. */
async function dataMatrixFootage(dir: string): Promise<string> {
  const png = await bwipjs.toBuffer({ bcid: 'gs1datamatrix', text: ESP_LABEL, scale: 5 } as Parameters<typeof bwipjs.toBuffer>[0]);
  const blank = placeOnFrame(null, 640, 480);
  const withCode = placeOnFrame(decodePng(png), 640, 480);
  const frames: RgbaFrame[] = [...Array<RgbaFrame>(3).fill(blank), ...Array<RgbaFrame>(27).fill(withCode)];
  const path = join(dir, 'gs1-datamatrix.y4m');
  writeY4m(path, frames, 10);
  return path;
}

beforeAll(async () => {
  footageDir = await mkdtemp(join(tmpdir(), 'dockhand-floor-'));
  const y4m = await dataMatrixFootage(footageDir);
  [app, browser] = await Promise.all([
    startDockhand(),
    launchChromium({
      args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (footageDir) await rm(footageDir, { recursive: true, force: true });
});

/** axe-core finds nothing serious or critical, and the screen is kept as a screenshot. */
async function checkScreen(page: Page, name: string): Promise<void> {
  await keepScreenshot(page, `floor-${name}`);
  expect(await seriousViolations(page), `axe on the ${name} screen`).toEqual([]);
}

/** Waits until the screen says `text` (a status line or an alert). */
async function expectShown(page: Page, text: string | RegExp): Promise<void> {
  await page.getByText(text).first().waitFor({ timeout: 10_000 });
}

/** An error the screen shows, if any: for a failure message that says what the user saw. */
async function alerts(page: Page): Promise<string[]> {
  return page.getByRole('alert').allInnerTexts();
}

/** The numbers in a table row whose header starts with `sku`. */
async function rowNumbers(page: Page, table: string, sku: string): Promise<number[]> {
  const row = page.getByRole('table', { name: table }).getByRole('row', { name: new RegExp(`^${sku}\\b`) });
  return (await row.getByRole('cell').allInnerTexts()).map(Number);
}

async function goHomeTo(page: Page, workflow: 'Receive' | 'Put away' | 'Returns'): Promise<void> {
  await page.getByRole('link', { name: 'Dockhand', exact: true }).click();
  await page.getByRole('link', { name: workflow, exact: true }).click();
}

/** Quantity per location code of one product (and lot, when given), on the server. */
async function serverStock(sku: string, lot?: string): Promise<Record<string, { qty: number; expiry: string | null }>> {
  const { rows } = await app.db.query<{ code: string; qty: number; expiry: string | null }>(
    `select l.code, sum(s.qty)::int as qty, max(s.expiry) as expiry
       from stock s join locations l on l.id = s.location_id join products p on p.id = s.product_id
      where p.sku = $1 and ($2::text is null or s.lot = $2) and s.qty > 0
      group by l.code order by l.code`,
    [sku, lot ?? null],
  );
  return Object.fromEntries(rows.map((row) => [row.code, { qty: row.qty, expiry: row.expiry }]));
}

const qtyAt = (stock: Record<string, { qty: number }>, code: string) => stock[code]?.qty ?? 0;

it('receives, puts away and processes a return offline, then syncs every action once', async () => {
  const started = Date.now();
  const lap = (what: string) => console.log(`floor-offline: ${what} at ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // What the server holds before: the balances this test changes, and the ledger's end.
  const before = {
    gift: await serverStock('NWC-GFT-TRIO'),
    jacket: await serverStock('HBO-JKT-M'),
    bottle: await serverStock('HBO-BTL-750'),
    espLot: await serverStock('NWC-ESP-250', LOT),
    lastMovement: (await app.db.query<{ id: string | null }>('select max(id)::text as id from stock_movements')).rows[0]!.id ?? '0',
  };
  expect(before.espLot).toEqual({});

  const context: BrowserContext = await browser.newContext({ viewport: { width: 412, height: 915 } });
  await context.grantPermissions(['camera'], { origin: app.url });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('Page error:', error));

  // 1. Sign in, first load, then the network goes and the app reopens from the service worker.
  await page.goto(app.url);
  await page.getByLabel('Username').fill('operator');
  await page.getByLabel('PIN').fill('1111');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');
  // The first load is complete once the service worker holds the app (it precaches on install).
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  lap('signed in, all synced, service worker ready');

  await context.setOffline(true);
  await page.reload();
  await expect.poll(() => statusText(page)).toContain('Offline');

  // 2. Receive ASN-10412.
  await page.getByRole('link', { name: 'Receive', exact: true }).click();
  await page.getByRole('list', { name: 'Receipts' }).waitFor();
  await scan(page, 'ASN-10412');
  await page.getByRole('heading', { name: 'Receipt ASN-10412' }).waitFor();
  expect(await rowNumbers(page, 'Receipt lines', 'NWC-ESP-250')).toEqual([120, 0, 0]);

  // One tap on Camera: the DataMatrix is read, and its lot and expiry fill themselves in.
  await page.getByRole('button', { name: 'Camera', exact: true }).click();
  const camera = page.getByRole('dialog', { name: 'Camera scanner' });
  await camera.waitFor();
  try {
    await expectShown(page, 'Received 1 × NWC-ESP-250: 1 of 120');
  } catch (error) {
    throw new Error(`The camera read did not receive a unit; the screen shows: ${JSON.stringify(await page.locator('body').innerText())}`, { cause: error });
  }
  await camera.getByRole('button', { name: 'Close camera' }).click();
  await camera.waitFor({ state: 'detached' });
  const receivingNow = page.getByRole('region', { name: 'Receiving now' });
  expect(await receivingNow.innerText()).toContain(`SKU NWC-ESP-250 · Lot ${LOT} · Expires ${EXPIRY.iso}`);
  expect(await page.getByRole('form').count()).toBe(0);
  // One code in view is one unit: the camera did not read it twice.
  expect(await rowNumbers(page, 'Receipt lines', 'NWC-ESP-250')).toEqual([120, 1, 0]);
  lap('camera read');

  // Two more by the wedge, the same label; identical scans a trigger pull apart.
  await page.waitForTimeout(DUPLICATE_WINDOW_MS + 50);
  await scan(page, ESP_LABEL);
  await expectShown(page, 'Received 1 × NWC-ESP-250: 2 of 120');
  await page.waitForTimeout(DUPLICATE_WINDOW_MS + 50);
  await scan(page, ESP_LABEL);
  await expectShown(page, 'Received 1 × NWC-ESP-250: 3 of 120');
  expect(await rowNumbers(page, 'Receipt lines', 'NWC-ESP-250')).toEqual([120, 3, 0]);

  await scan(page, 'NWC-GFT-TRIO');
  await expectShown(page, 'Received 1 × NWC-GFT-TRIO: 1 of 40');
  await page.getByRole('button', { name: 'Damaged', exact: true }).click();
  const damage = page.getByRole('form', { name: /^Damaged NWC-GFT-TRIO/ });
  expect(await damage.getByRole('textbox', { name: 'Damaged units' }).inputValue()).toBe('1');
  await damage.getByRole('radio', { name: 'Crushed' }).check();
  await damage.getByRole('button', { name: 'Record damage' }).click();
  await expectShown(page, 'Recorded 1 × NWC-GFT-TRIO damaged (Crushed): sent to the damaged area');
  expect(await rowNumbers(page, 'Receipt lines', 'NWC-GFT-TRIO')).toEqual([40, 1, 1]);
  await expect.poll(() => statusText(page)).toMatch(/^Offline · 5 pending/);
  await checkScreen(page, 'receive');
  lap('received');

  // 3. Put away: the espresso lot to its pick face, the gift box to whatever bin is suggested.
  await goHomeTo(page, 'Put away');
  await page.getByRole('heading', { name: 'Put away' }).waitFor();
  const dockList = page.getByRole('list', { name: 'Waiting at the dock' });
  await dockList.getByRole('button', { name: new RegExp(`^NWC-ESP-250 .*, lot ${LOT}\\s*×3 · DOCK-1$`) }).waitFor();
  await dockList.getByRole('button', { name: /^NWC-GFT-TRIO .*×1 · DOCK-1$/ }).waitFor();

  const inHand = page.getByRole('region', { name: 'Units in hand' });
  /** The bin the card says to go to (its caption may be styled in capitals). */
  const suggestedBin = async () => /go to\s+(\S+)/i.exec(await inHand.innerText())?.[1];

  await scan(page, ESP_LABEL);
  await inHand.waitFor();
  expect(await inHand.innerText()).toContain(`lot ${LOT}`);
  expect(await suggestedBin()).toBe('A-01-1');
  expect(await inHand.innerText()).toMatch(/3\s+\(all at DOCK-1\)/);
  await checkScreen(page, 'putaway');
  await scan(page, 'A-01-1');
  await expectShown(page, 'Put away 3 × NWC-ESP-250 into A-01-1');

  await scan(page, 'NWC-GFT-TRIO');
  await inHand.waitFor();
  const giftBin = await suggestedBin();
  console.log(`floor-offline: the app suggests ${giftBin} for NWC-GFT-TRIO (${(await inHand.innerText()).replaceAll('\n', ' / ')})`);
  expect(giftBin).toMatch(/^[A-Z]-\d{2}-\d$/);
  await scan(page, giftBin!);
  await expectShown(page, `Put away 1 × NWC-GFT-TRIO into ${giftBin}`);
  await expect.poll(() => dockList.getByRole('button', { name: /^(NWC-ESP-250|NWC-GFT-TRIO) / }).count()).toBe(0);
  expect(await alerts(page)).toEqual([]);
  lap('put away');

  // 4. Return RMA-HBO-0042: the jacket back to its pick face, the bottle damaged.
  await goHomeTo(page, 'Returns');
  await page.getByRole('list', { name: 'Open returns' }).waitFor();
  await scan(page, 'RMA-HBO-0042');
  await page.getByRole('heading', { name: 'Return RMA-HBO-0042' }).waitFor();
  expect(await rowNumbers(page, 'Return lines', 'HBO-JKT-M')).toEqual([1, 0, 0, 0, 0]);

  await scan(page, JACKET_UPC);
  await expectShown(page, /^Received 1 × HBO-JKT-M \(1 of 1\)/);
  await page.getByRole('button', { name: 'Restock', exact: true }).click();
  const unit = page.getByRole('region', { name: 'Unit in hand' });
  await unit.waitFor();
  expect(/restock to\s+(\S+)/i.exec(await unit.innerText())?.[1]).toBe('B-12-1');
  await scan(page, 'B-12-1');
  await expectShown(page, /^Restocked 1 × HBO-JKT-M into B-12-1/);

  await scan(page, BOTTLE_UPC);
  await expectShown(page, /^Received 1 × HBO-BTL-750 \(1 of 1\)/);
  await checkScreen(page, 'returns');
  await page.getByRole('button', { name: 'Damaged', exact: true }).click();
  await page.getByRole('form', { name: 'Damage' }).getByRole('button', { name: 'Leaking' }).click();
  await expectShown(page, '1 × HBO-BTL-750 to damaged (DMG-1). Return RMA-HBO-0042 is done');
  await page.getByRole('heading', { name: 'Return done' }).waitFor();
  expect(await rowNumbers(page, 'Return lines', 'HBO-JKT-M')).toEqual([1, 1, 1, 0, 0]);
  expect(await rowNumbers(page, 'Return lines', 'HBO-BTL-750')).toEqual([1, 1, 0, 1, 0]);
  expect(await alerts(page)).toEqual([]);
  lap('return processed');

  // Nothing has reached the server yet.
  const pending = Number(/^Offline · (\d+) pending/.exec(await statusText(page))?.[1]);
  expect(pending).toBeGreaterThanOrEqual(11);
  expect((await app.db.query<{ n: number }>('select count(*)::int as n from mutation_results')).rows[0]!.n).toBe(0);

  // 5. Reconnect: everything syncs.
  await context.setOffline(false);
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');
  lap('all synced');

  const { rows: results } = await app.db.query<{ type: string; status: string; code: string | null; message: string | null }>(
    'select type, status, code, message from mutation_results order by seq',
  );
  expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
  expect(results).toHaveLength(pending);
  console.log(`floor-offline: ${pending} mutations applied: ${results.map((r) => r.type).join(', ')}`);

  const { rows: lines } = await app.db.query<{ sku: string; received_qty: number; damaged_qty: number }>(
    `select p.sku, rl.received_qty, rl.damaged_qty
       from receipt_lines rl join receipts r on r.id = rl.receipt_id join products p on p.id = rl.product_id
      where r.number = 'ASN-10412' order by p.sku`,
  );
  expect(lines).toEqual([
    { sku: 'NWC-DEC-250', received_qty: 0, damaged_qty: 0 },
    { sku: 'NWC-ESP-250', received_qty: 3, damaged_qty: 0 },
    { sku: 'NWC-GFT-TRIO', received_qty: 1, damaged_qty: 1 },
  ]);

  // The lot went whole to the pick face, with the expiry its label carries; none left at the dock.
  expect(await serverStock('NWC-ESP-250', LOT)).toEqual({ 'A-01-1': { qty: 3, expiry: EXPIRY.iso } });
  const gift = await serverStock('NWC-GFT-TRIO');
  expect(qtyAt(gift, giftBin!) - qtyAt(before.gift, giftBin!)).toBe(1);
  expect(qtyAt(gift, 'DMG-1') - qtyAt(before.gift, 'DMG-1')).toBe(1);
  expect(qtyAt(gift, 'DOCK-1') - qtyAt(before.gift, 'DOCK-1')).toBe(0);

  const { rows: returnLines } = await app.db.query<{ sku: string; received_qty: number; restocked_qty: number; damaged_qty: number; quarantined_qty: number }>(
    `select p.sku, rl.received_qty, rl.restocked_qty, rl.damaged_qty, rl.quarantined_qty
       from return_lines rl join returns r on r.id = rl.return_id join products p on p.id = rl.product_id
      where r.rma = 'RMA-HBO-0042' order by p.sku`,
  );
  expect(returnLines).toEqual([
    { sku: 'HBO-BTL-750', received_qty: 1, restocked_qty: 0, damaged_qty: 1, quarantined_qty: 0 },
    { sku: 'HBO-JKT-M', received_qty: 1, restocked_qty: 1, damaged_qty: 0, quarantined_qty: 0 },
  ]);
  const { rows: ret } = await app.db.query<{ status: string }>(`select status from returns where rma = 'RMA-HBO-0042'`);
  expect(ret[0]!.status).toBe('closed');
  const jacket = await serverStock('HBO-JKT-M');
  const bottle = await serverStock('HBO-BTL-750');
  expect(qtyAt(jacket, 'B-12-1') - qtyAt(before.jacket, 'B-12-1')).toBe(1);
  expect(qtyAt(jacket, 'RET-1') - qtyAt(before.jacket, 'RET-1')).toBe(0);
  expect(qtyAt(bottle, 'DMG-1') - qtyAt(before.bottle, 'DMG-1')).toBe(1);
  expect(qtyAt(bottle, 'RET-1') - qtyAt(before.bottle, 'RET-1')).toBe(0);

  // Every movement these actions made names the user, the device and the mutation behind it.
  const { rows: movements } = await app.db.query<{ mutation_id: string | null; user_id: string | null; device_id: string | null; reason: string }>(
    'select mutation_id::text, user_id, device_id, reason from stock_movements where id > $1::bigint order by id',
    [before.lastMovement],
  );
  expect(movements.length).toBeGreaterThanOrEqual(10);
  expect(movements.filter((m) => !m.mutation_id || !m.user_id || !m.device_id)).toEqual([]);
  const { rows: origins } = await app.db.query<{ mutation_id: string; user_id: string; device_id: string }>(
    'select mutation_id::text, user_id, device_id from mutation_results',
  );
  const byMutation = new Map(origins.map((o) => [o.mutation_id, o]));
  for (const movement of movements) {
    expect(byMutation.get(movement.mutation_id!), `movement (${movement.reason}) of mutation ${movement.mutation_id}`).toMatchObject({
      user_id: movement.user_id,
      device_id: movement.device_id,
    });
  }
  lap('server checked');
  await context.close();
});
