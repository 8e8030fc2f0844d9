// The camera scanner in Chromium, as a new user meets it: one tap on "Camera" next to the Scan
// field, a barcode held in front of the (fake) camera, and the pick step completes. Four symbologies
// a 3PL floor sees: an EAN-13 on a unit, a UPC-E on a small American item, a Code 128 bin label and
// a GS1 DataMatrix carrying lot and expiry. Chromium's fake capture device plays a Y4M file written
// here from barcodes bwip-js renders (a few blank frames, then the code, looped); the file is a
// launch flag, so each code gets its own browser, all against one server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bwipjs from 'bwip-js/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hasValidCheckDigit, productBarcodeKey, upcEToUpcA } from '../../src/domain/gtin';
import { putRow } from '../../server/db/tables';
import { keepScreenshot, launchChromium, startDockhand, type RunningApp } from './harness';
import { decodePng, placeOnFrame, writeY4m, type RgbaFrame } from './y4m';

const WIDTH = 640;
const HEIGHT = 480;
const FPS = 10;
/** Blank frames before the code: short enough that the looped file never reads as the code leaving. */
const BLANK_FRAMES = 3;
const CODE_FRAMES = 27;

/** The product, bin and pick list inserted for the UPC-E case (number system 0, compressible). */
const UPCE = {
  productId: 'prd-e2e-upce',
  sku: 'HBO-GEL-SC',
  name: 'Trail Energy Gel, Salted Caramel',
  ownerId: 'own-harbor',
  locationId: 'loc-B-20-1',
  orderId: 'ord-e2e-upce',
  orderLineId: 'ord-e2e-upce-1',
  pickListId: 'pkl-e2e-upce',
  pickListNumber: 'PL-900001',
  pickLineId: 'pkl-e2e-upce-001',
};

/** A UPC-E (8 digits) whose UPC-A expansion carries a valid check digit. */
function compressibleUpc(): { upcE: string; upcA: string } {
  for (let check = 0; check <= 9; check++) {
    const upcE = `0425261${check}`;
    const upcA = upcEToUpcA(upcE);
    if (upcA && hasValidCheckDigit(upcA)) return { upcE, upcA };
  }
  throw new Error('No valid UPC-E check digit');
}

let app: RunningApp;
let footageDir: string;
const timings: Record<string, number> = {};

beforeAll(async () => {
  [app, footageDir] = await Promise.all([startDockhand(), mkdtemp(join(tmpdir(), 'dockhand-camera-'))]);
  // The UPC-E item: a product, stock in an empty pick face, an allocated order and its pick list.
  const { upcA } = compressibleUpc();
  const { rows } = await app.db.query<{ walk_seq: number }>('select walk_seq from locations where id = $1', [UPCE.locationId]);
  const walkSeq = rows[0]!.walk_seq;
  const createdAt = new Date().toISOString();
  await app.db.transaction(async (tx) => {
    await putRow(tx, 'products', {
      id: UPCE.productId,
      ownerId: UPCE.ownerId,
      sku: UPCE.sku,
      name: UPCE.name,
      barcodes: [productBarcodeKey(upcA), UPCE.sku],
      lotTracked: false,
      expiryTracked: false,
      serialTracked: false,
      zone: 'B',
      pickFaceLocationId: UPCE.locationId,
    });
    const stockId = `${UPCE.locationId}|${UPCE.productId}||`;
    await putRow(tx, 'stock', { id: stockId, ownerId: UPCE.ownerId, locationId: UPCE.locationId, productId: UPCE.productId, lot: null, expiry: null, lpn: null, qty: 12 });
    await tx.query(
      `insert into stock_movements (stock_id, owner_id, location_id, product_id, lot, lpn, delta, reason) values ($1, $2, $3, $4, null, null, 12, 'opening balance')`,
      [stockId, UPCE.ownerId, UPCE.locationId, UPCE.productId],
    );
    await putRow(tx, 'orders', { id: UPCE.orderId, ownerId: UPCE.ownerId, number: '#9001', source: 'demo', status: 'allocated', customerName: 'Riley Camera', createdAt });
    await putRow(tx, 'orderLines', { id: UPCE.orderLineId, orderId: UPCE.orderId, ownerId: UPCE.ownerId, productId: UPCE.productId, qty: 2, pickedQty: 0, packedQty: 0 });
    await putRow(tx, 'pickLists', { id: UPCE.pickListId, ownerId: UPCE.ownerId, number: UPCE.pickListNumber, status: 'open', stagingLocationId: 'loc-PACK-1', createdAt });
    await putRow(tx, 'pickLines', {
      id: UPCE.pickLineId,
      pickListId: UPCE.pickListId,
      ownerId: UPCE.ownerId,
      orderId: UPCE.orderId,
      orderLineId: UPCE.orderLineId,
      productId: UPCE.productId,
      locationId: UPCE.locationId,
      lot: null,
      qty: 2,
      pickedQty: 0,
      shortQty: 0,
      shortReason: null,
      status: 'open',
      walkSeq,
    });
  });
});

afterAll(async () => {
  console.log(`Camera tap → step complete (ms): ${JSON.stringify(timings)}`);
  await app?.close();
  if (footageDir) await rm(footageDir, { recursive: true, force: true });
});

/** Fake-camera footage of one barcode: a few blank frames, then the code held still. */
async function footage(name: string, options: Record<string, unknown>): Promise<string> {
  const png = await bwipjs.toBuffer({ scale: 3, ...options } as Parameters<typeof bwipjs.toBuffer>[0]);
  const code = decodePng(png);
  const blank = placeOnFrame(null, WIDTH, HEIGHT);
  const withCode = placeOnFrame(code, WIDTH, HEIGHT);
  const frames: RgbaFrame[] = [...Array<RgbaFrame>(BLANK_FRAMES).fill(blank), ...Array<RgbaFrame>(CODE_FRAMES).fill(withCode)];
  const path = join(footageDir, `${name}.y4m`);
  writeY4m(path, frames, FPS);
  return path;
}

/** A browser whose only camera plays `y4m`, and a signed-in page with camera permission granted. */
async function signedIn(y4m: string): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await launchChromium({
    args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
  });
  const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
  await context.grantPermissions(['camera'], { origin: app.url });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('Page error:', error));
  await page.goto(app.url);
  await page.getByLabel('Username').fill('operator');
  await page.getByLabel('PIN').fill('1111');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitSynced(page);
  return { browser, context, page };
}

async function waitSynced(page: Page): Promise<void> {
  await expect.poll(() => page.getByRole('status').first().innerText(), { timeout: 30_000 }).toContain('All synced');
}

async function openPickList(page: Page, number: string): Promise<void> {
  await page.getByRole('link', { name: 'Pick', exact: true }).click();
  await page.getByRole('link', { name: number }).click();
  await page.getByLabel('Scan', { exact: true }).waitFor();
}

const currentLine = (page: Page) => page.getByRole('region', { name: 'Current line' });

/** Types a code into the focused Scan field and ends it with Enter, as a wedge scanner does. */
async function typeScan(page: Page, text: string): Promise<void> {
  const field = page.getByLabel('Scan', { exact: true });
  await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
  await field.pressSequentially(text);
  await field.press('Enter');
}

type Done = { picked: number } | 'bin-confirmed';

/**
 * Taps "Camera" once and waits, in the page, until the step is complete (the line's picked count
 * reaches `done.picked`, or its bin shows confirmed); returns the milliseconds from the tap. The
 * screen with the camera open and its read is kept as `test-results/<artefact>.png`.
 */
async function tapCameraUntil(page: Page, done: Done, artefact: string): Promise<number> {
  await page.evaluate((done) => {
    const w = window as unknown as { cameraStep: { tapped: number | null; done: number | null } };
    w.cameraStep = { tapped: null, done: null };
    const complete = () =>
      done === 'bin-confirmed'
        ? document.querySelector('.pick-line-confirmed') !== null
        : (document.querySelector('.pick-line-qty-of')?.textContent ?? '').includes(`(${done.picked} of `);
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Camera')!;
    button.addEventListener('click', () => (w.cameraStep.tapped ??= performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (w.cameraStep.tapped !== null && complete()) {
        w.cameraStep.done = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, done);
  await page.getByRole('button', { name: 'Camera', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Camera scanner' });
  await dialog.waitFor();
  try {
    await page.waitForFunction(() => (window as unknown as { cameraStep: { done: number | null } }).cameraStep.done !== null, undefined, {
      timeout: 30_000,
    });
  } catch (error) {
    const shown = await page.locator('.floor-messages, .camera-panel').allInnerTexts().catch(() => []);
    throw new Error(`The camera step did not complete; the screen shows: ${JSON.stringify(shown)}`, { cause: error });
  }
  const read = await dialog.locator('.camera-last-read').innerText();
  const ms = await page.evaluate(() => {
    const { tapped, done } = (window as unknown as { cameraStep: { tapped: number; done: number } }).cameraStep;
    return Math.round(done - tapped);
  });
  console.log(`Camera: ${read} — step complete ${ms} ms after the tap`);
  await keepScreenshot(page, artefact);
  await dialog.getByRole('button', { name: 'Close camera' }).click();
  await dialog.waitFor({ state: 'detached' });
  return ms;
}

async function pickedQty(pickLineId: string): Promise<number> {
  const { rows } = await app.db.query<{ picked_qty: number }>('select picked_qty from pick_lines where id = $1', [pickLineId]);
  return rows[0]!.picked_qty;
}

async function pickMovements(productId: string): Promise<{ location_id: string; lot: string | null; delta: number }[]> {
  const { rows } = await app.db.query<{ location_id: string; lot: string | null; delta: number }>(
    `select location_id, lot, delta from stock_movements where reason = 'pick' and product_id = $1 order by id`,
    [productId],
  );
  return rows;
}

/** The demo line to pick: its product, bin, lot and retail GTIN-14. */
async function demoLine(pickLineId: string) {
  const { rows } = await app.db.query<{ product_id: string; location_id: string; lot: string | null; qty: number; code: string; barcodes: string[] }>(
    `select pl.product_id, pl.location_id, pl.lot, pl.qty, l.code, p.barcodes
       from pick_lines pl join locations l on l.id = pl.location_id join products p on p.id = pl.product_id where pl.id = $1`,
    [pickLineId],
  );
  const line = rows[0]!;
  const gtin14 = line.barcodes.find((code) => /^0\d{13}$/.test(code))!;
  return { ...line, gtin14 };
}

/** Runs one case: a browser with `y4m` as its camera, signed in on `list`, bin confirmed by typing unless the camera does it. */
async function cameraCase(name: string, y4m: string, list: string, bin: string, done: Done): Promise<void> {
  const { browser, context, page } = await signedIn(y4m);
  try {
    await openPickList(page, list);
    await expect.poll(() => currentLine(page).locator('.pick-line-bin-code').innerText()).toBe(bin);
    if (done !== 'bin-confirmed') {
      await typeScan(page, bin);
      await expect.poll(() => currentLine(page).innerText()).toContain('confirmed');
      await expect.poll(() => currentLine(page).locator('.pick-line-qty-of').innerText()).toContain(`(${done.picked - 1} of `);
    } else {
      expect(await currentLine(page).innerText()).not.toContain('confirmed');
    }
    timings[name] = await tapCameraUntil(page, done, `camera-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`);
    if (done === 'bin-confirmed') {
      await expect.poll(() => currentLine(page).innerText()).toContain('confirmed');
    } else {
      // One unit for one code in view: the camera did not read it twice.
      await page.waitForTimeout(500);
      expect(await currentLine(page).locator('.pick-line-qty-of').innerText()).toContain(`(${done.picked} of `);
    }
    await waitSynced(page);
  } finally {
    await context.close();
    await browser.close();
  }
}

it('reads an EAN-13 on a unit and picks one', async () => {
  const line = await demoLine('pkl-000103-001');
  const ean13 = line.gtin14.slice(1);
  const y4m = await footage('ean13', { bcid: 'ean13', text: ean13, height: 18, includetext: true });
  await cameraCase('ean-13', y4m, 'PL-000103', line.code, { picked: 1 });
  expect(await pickedQty('pkl-000103-001')).toBe(1);
  expect(await pickMovements(line.product_id)).toContainEqual({ location_id: line.location_id, lot: line.lot, delta: -1 });
});

it('reads a UPC-E and picks the item its UPC-A expansion names', async () => {
  const { upcE } = compressibleUpc();
  const y4m = await footage('upce', { bcid: 'upce', text: upcE, height: 18, includetext: true });
  await cameraCase('upc-e', y4m, UPCE.pickListNumber, 'B-20-1', { picked: 1 });
  expect(await pickedQty(UPCE.pickLineId)).toBe(1);
  expect(await pickMovements(UPCE.productId)).toContainEqual({ location_id: UPCE.locationId, lot: null, delta: -1 });
});

it('reads a Code 128 bin label and confirms the bin', async () => {
  const line = await demoLine('pkl-000102-001');
  const y4m = await footage('code128', { bcid: 'code128', text: line.code, height: 18, includetext: true });
  await cameraCase('code-128 bin', y4m, 'PL-000102', line.code, 'bin-confirmed');
  expect(await pickedQty('pkl-000102-001')).toBe(0);
});

it('reads a GS1 DataMatrix with lot and expiry and picks that lot', async () => {
  const line = await demoLine('pkl-000101-001');
  expect(line.lot).not.toBeNull();
  const { rows } = await app.db.query<{ yymmdd: string }>(
    `select to_char(expiry::date, 'YYMMDD') as yymmdd from stock where location_id = $1 and product_id = $2 and lot = $3`,
    [line.location_id, line.product_id, line.lot],
  );
  const text = `(01)${line.gtin14}(17)${rows[0]!.yymmdd}(10)${line.lot}`;
  const y4m = await footage('gs1datamatrix', { bcid: 'gs1datamatrix', text, scale: 5 });
  await cameraCase('gs1 datamatrix', y4m, 'PL-000101', line.code, { picked: 1 });
  expect(await pickedQty('pkl-000101-001')).toBe(1);
  const movements = await pickMovements(line.product_id);
  expect(movements).toContainEqual({ location_id: line.location_id, lot: line.lot, delta: -1 });
  // The staging side of the move carries the same lot.
  expect(movements.filter((m) => m.delta === 1).map((m) => m.lot)).toEqual([line.lot]);
});
